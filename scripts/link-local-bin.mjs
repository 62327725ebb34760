// @ts-check
// `npx run` inside the checkout finds node_modules/.bin/run; declaring `run` in package.json's bin instead made
// `npm link` install a global `run` beside `jhub-run`, and made each `npx run` reinstall the checkout in npm's cache.
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const binDir = fileURLToPath(new URL('../node_modules/.bin/', import.meta.url));
const link = `${binDir}run`;
const target = '../../bin/run.js';

/** @param {string} path */
function linkTarget(path) {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : 'not a link';
  } catch {
    return undefined;
  }
}

if (linkTarget(link) !== target) {
  mkdirSync(binDir, { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(target, link);
}
