// @ts-check
// `npm run build`: compile, generate the validators, bundle; then record the hash of the sources it
// was made from (taken before it started), so the tests build only when the sources have changed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourcesHash, stampFile } from './sources-hash.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const made = sourcesHash();
// A build of the same sources is already there: nothing is rebuilt. `npx run` installs the checkout and runs
// this `prepare` step; rebuilding then took the bundle away from CLI runs already going (tests, a running site).
const current = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === made;
if (current && existsSync(`${root}dist/bundle/start.cjs`) && !process.argv.includes('--force')) process.exit(0);
rmSync(stampFile, { force: true });
const node = (/** @type {string[]} */ ...args) => execFileSync(process.execPath, args, { stdio: 'inherit', cwd: root });
node('node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json');
node('dist/runner/app/write-validators.js');
node('scripts/bundle.mjs');
// V8's code cache keeps the functions its first run compiled: a preview of the rebuild (which runs nothing and
// writes nothing) makes it, so every later run starts warm whatever is run first (a `--version` first left a
// preview 40 ms slower). The preview's own outcome does not matter here.
spawnSync(process.execPath, ['bin/run.js', 'playbooks/rebuild-cluster.yml', '--dry-run'], {
  cwd: root,
  stdio: 'ignore',
});
writeFileSync(stampFile, made);
