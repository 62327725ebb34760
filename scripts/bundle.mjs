// Build step: one ES module bundle for the CLI (lazy parts split into chunks) and minified validators,
// because resolving and compiling hundreds of small modules was most of a run's start-up time.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist/bundle');
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'runner/cli/start.ts')],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Bundled CommonJS packages (nunjucks, yaml's helpers) call require; an ES module has none of its own.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
});
const generated = join(root, 'dist/schema/generated');
await mkdir(join(out, 'generated'), { recursive: true });
for (const name of await readdir(generated)) {
  const { code } = await transform(await readFile(join(generated, name), 'utf8'), { minify: true, format: 'cjs', platform: 'node', target: 'node20' });
  await writeFile(join(out, 'generated', name), code);
}
