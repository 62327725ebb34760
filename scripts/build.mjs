// @ts-check
// `npm run build`: compile, generate the validators, bundle; then record the hash of the sources it
// was made from (taken before it started), so the tests build only when the sources have changed.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourcesHash, stampFile } from './sources-hash.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const made = sourcesHash();
rmSync(stampFile, { force: true });
const node = (/** @type {string[]} */ ...args) => execFileSync(process.execPath, args, { stdio: 'inherit', cwd: root });
node('node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json');
node('dist/runner/schema/generate-validators.js');
node('scripts/bundle.mjs');
writeFileSync(stampFile, made);
