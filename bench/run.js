// npm run bench: start-up and per-step overhead, measured against plain node in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/run.js');
const runs = Number(process.env.BENCH_RUNS ?? 10);

function timeMs(argv, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd: root, stdio: 'ignore', env: { ...process.env, CI: '1' }, ...options });
  if (result.status !== 0 && result.status !== 2) throw new Error(`${argv.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(argv) {
  timeMs(argv);
  return median(Array.from({ length: runs }, () => timeMs(argv)));
}

execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

const node = measure(['-e', '0']);
const dryRun = measure([bin, 'playbooks/prepare-pv-restore.yml', '-i', 'inventory/example', '--dry-run']);

const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const steps = Array.from({ length: 100 }, (_, index) => `  - name: step ${index + 1}\n    command: {argv: [/bin/true]}\n`).join('');
writeFileSync(join(dir, 'hundred.yml'), `name: hundred true\nsteps:\n${steps}`);
const hundred = measure([bin, join(dir, 'hundred.yml'), '--json']);
const spawnOnly = median(
  Array.from({ length: runs }, () => {
    const started = process.hrtime.bigint();
    for (let index = 0; index < 100; index += 1) spawnSync('/bin/true');
    return Number(process.hrtime.bigint() - started) / 1e6;
  }),
);
const empty = measure([bin, join(dir, 'hundred.yml'), '--json', '--tags', 'none']);
const perStep = (hundred - empty - spawnOnly) / 100;

const rows = [
  ['node -e 0', `${node.toFixed(0)} ms`, ''],
  ['run --dry-run prepare-pv-restore', `${dryRun.toFixed(0)} ms`, `${(dryRun / node).toFixed(2)}x node (goal <= 2x)`],
  ['100 command steps of /bin/true', `${hundred.toFixed(0)} ms`, ''],
  ['  of which 100 bare spawns', `${spawnOnly.toFixed(0)} ms`, ''],
  ['  per-step overhead beyond the spawn', `${perStep.toFixed(2)} ms`, ''],
];
const width = Math.max(...rows.map((row) => row[0].length));
console.log(`\nmedian of ${runs} runs each\n`);
for (const [name, value, note] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(9)}  ${note}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), runs, node, dryRun, startupRatio: dryRun / node, hundredSteps: hundred, spawnOnly, emptyRun: empty, perStepOverheadMs: perStep }, null, 2));
console.log(`\nwritten ${file}`);
