// @ts-check
// Build step: one minified CommonJS bundle of the CLI, validators included, because resolving and
// compiling hundreds of small modules was most of a run's start-up time, and because V8's code
// cache (bin/run.js) takes a classic script, not an ES module.
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// Built beside the bundle and swapped in whole: a CLI run starting meanwhile finds the old one or the new one.
const bundleDir = join(root, 'dist/bundle');
const out = `${bundleDir}.next`;
const generated = join(root, 'dist/runner/schema/generated');

/**
 * The playbook's validator (600 KB, 40% of the bundle) is a file of its own beside the bundle: a playbook
 * whose text passed before is not validated again, so most runs never read it. It is minified on its own.
 */
const apartValidator = 'playbook.cjs';

/** Fills runner/schema/bundled-validators.ts with static requires of the generated validators, so esbuild bundles them. @type {import('esbuild').Plugin} */
const bundledValidators = {
  name: 'bundled-validators',
  setup(builder) {
    builder.onLoad({ filter: /runner[\\/]schema[\\/]bundled-validators\.ts$/ }, async () => {
      const names = (await readdir(generated)).filter((name) => name.endsWith('.cjs') && name !== apartValidator);
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

/**
 * commander requires node:child_process at load (~1 ms of every start-up) for the executable subcommands the
 * CLI never declares; here it is required when one would be spawned. The build fails if commander changes that line.
 * @type {import('esbuild').Plugin}
 */
const commanderChildProcessOnUse = {
  name: 'commander-child-process-on-use',
  setup(builder) {
    builder.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const eager = "const childProcess = require('node:child_process');";
      const text = await readFile(args.path, 'utf8');
      if (!text.includes(eager)) throw new Error(`${args.path} no longer requires node:child_process as expected`);
      const onUse = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: text.replace(eager, onUse), loader: 'js' };
    });
  },
};

/**
 * js-yaml's CommonJS build, not its ES module: the module makes each parse's state with an object spread that
 * V8 runs 2.5 times slower when a parse is one of many (a hub's YAML backup is parsed a batch of items at a time).
 * @type {import('esbuild').Plugin}
 */
const jsYamlCommonJs = {
  name: 'js-yaml-common-js',
  setup(builder) {
    const path = createRequire(join(root, 'package.json')).resolve('js-yaml');
    builder.onResolve({ filter: /^js-yaml$/ }, () => ({ path }));
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
  keepNames: Boolean(process.env.BUNDLE_PLAIN),
  // Names are not kept (keepNames cost ~2 ms of every start-up in 2,900 defineProperty calls and a larger
  // bundle): an error class that is told apart by name sets its own `this.name`.
  legalComments: 'none',
  // A classic script run through vm.Script has no loader for import(); node's own modules are required instead.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [bundledValidators, runningSiteApart, commanderChildProcessOnUse, jsYamlCommonJs],
});
// Found by precompiled.ts's require of ./generated/<name>, relative to the bundle.
await build({
  entryPoints: [join(generated, apartValidator)],
  outfile: join(out, 'generated', apartValidator),
  bundle: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  minify: !process.env.BUNDLE_PLAIN,
  legalComments: 'none',
});
await rm(`${bundleDir}.old`, { recursive: true, force: true });
await rename(bundleDir, `${bundleDir}.old`).catch((/** @type {NodeJS.ErrnoException} */ error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(out, bundleDir);
await rm(`${bundleDir}.old`, { recursive: true, force: true });
