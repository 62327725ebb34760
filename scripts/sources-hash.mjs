// @ts-check
// The hash of what the build reads, so a build is made once per change of the sources: `npm run build`
// records it in dist/.sources-hash, and the tests' global setup builds only when it differs.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The sources it compiles, the scripts that generate and bundle, and what pins the compiler and esbuild. */
const inputs = [
  'runner',
  'sandbox',
  'scripts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
export const stampFile = join(root, 'dist', '.sources-hash');

/** @param {string} path @returns {string[]} */
function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** One hash of every input's path and content. */
export function sourcesHash() {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((input) => filesUnder(join(root, input)))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}
