// @ts-check
// Build step: one minified CommonJS bundle of the CLI, validators included, because resolving and
// compiling hundreds of small modules was most of a run's start-up time, and because V8's code
// cache (bin/run.js) takes a classic script, not an ES module.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist/bundle');
const generated = join(root, 'dist/runner/schema/generated');

/** Fills runner/schema/bundled-validators.ts with static requires of the generated validators, so esbuild bundles them. @type {import('esbuild').Plugin} */
const bundledValidators = {
  name: 'bundled-validators',
  setup(builder) {
    builder.onLoad({ filter: /runner[\\/]schema[\\/]bundled-validators\.ts$/ }, async () => {
      const names = (await readdir(generated)).filter((name) => name.endsWith('.cjs'));
      const entries = names.map(
        (name) => `  ${JSON.stringify(name)}: () => require(${JSON.stringify(join(generated, name))}),`,
      );
      return { contents: `export const bundledValidators = {\n${entries.join('\n')}\n};\n`, loader: 'js' };
    });
  },
};

/** The running site goes in a bundle of its own, required only when a run starts one, so a preview never reads or compiles it. @type {import('esbuild').Plugin} */
const runningSiteApart = {
  name: 'running-site-apart',
  setup(builder) {
    builder.onResolve({ filter: /running-site\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './running-site.cjs', external: true } : undefined,
    );
  },
};

await rm(out, { recursive: true, force: true });
await build({
  entryPoints: [
    join(root, 'runner/cli/start.ts'),
    join(root, 'runner/boot/code-cached-module.ts'),
    join(root, 'sandbox/site/running-site.ts'),
  ],
  outdir: out,
  entryNames: '[name]',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // BUNDLE_PLAIN=1 keeps names and lines readable, for reading a --cpu-prof of the CLI.
  minify: !process.env.BUNDLE_PLAIN,
  // Error classes are told apart by name in messages and tests.
  keepNames: true,
  legalComments: 'none',
  // A classic script run through vm.Script has no loader for import(); node's own modules are required instead.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [bundledValidators, runningSiteApart],
});
