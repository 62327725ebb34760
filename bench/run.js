// @ts-check
// npm run bench: start-up, per-step overhead against Ansible, manifest scale against jq/yq, and
// rebuild-cluster at hub scale; every comparison is measured in the same run, on this machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/run.js');
const runs = Number(process.env.BENCH_RUNS ?? 10);
const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
/** @type {Record<string, any>} */
const results = {};
/** @type {[string, string, string][]} */
const rows = [];
/** BENCH_ONLY=startup, backup or scale: that section alone. */
const only = process.env.BENCH_ONLY;
/** What went over a limit the bench holds the runner to; the bench fails when any did. @type {string[]} */
const exceeded = [];

/**
 * @param {string[]} argv
 * @param {import('node:child_process').SpawnSyncOptions & { allowFailure?: boolean }} [options]
 */
function run(argv, options = {}) {
  const started = process.hrtime.bigint();
  const [program = '', ...args] = argv;
  const result = spawnSync(program, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    ...options,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.status !== 0 && result.status !== 2 && !options.allowFailure)
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${stderr.slice(0, 2000)}`);
  return { ms, stdout, stderr, status: result.status };
}

/** Wall time and peak resident memory of one command, from GNU time. @param {string[]} argv */
function measured(argv) {
  const result = run(['/usr/bin/time', '-f', 'BENCH %e %M', ...argv]);
  const match = /BENCH ([\d.]+) (\d+)/.exec(result.stderr);
  if (!match) throw new Error(`GNU time printed no figures for ${argv.join(' ')}: ${result.stderr.slice(-500)}`);
  const [, seconds, kilobytes] = match;
  return { seconds: Number(seconds), peakMb: Number(kilobytes) / 1024, stdout: result.stdout };
}

const median = (/** @type {number[]} */ samples) =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;
/** @param {string[]} argv @param {Parameters<typeof run>[1]} [options] */
const timeOf = (argv, options) => {
  run(argv, options);
  return median(Array.from({ length: runs }, () => run(argv, options).ms));
};
/** A Debian tool the comparison needs, installed with apt-get when missing; false when that is not possible here. */
/** @param {string} program @param {string} pkg */
function debianTool(program, pkg) {
  if (existsSync(program)) return true;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const installed = run(['apt-get', 'install', '-y', '--no-install-recommends', pkg], { allowFailure: true, env });
  if (installed.status !== 0) {
    run(['apt-get', 'update'], { allowFailure: true });
    run(['apt-get', 'install', '-y', '--no-install-recommends', pkg], { allowFailure: true, env });
  }
  return existsSync(program);
}
const row = (/** @type {string} */ name, /** @type {string} */ value, note = '') => rows.push([name, value, note]);
const section = (/** @type {string} */ title) => rows.push([title, '', '']);

execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
// The build's writes are flushed first, so the disk is not still busy with them while start-up is timed.
execFileSync('sync');
for (const [program, pkg] of /** @type {const} */ ([
  ['/usr/bin/time', 'time'],
  ['/usr/bin/jq', 'jq'],
  ['/usr/bin/yq', 'yq'],
])) {
  if (!debianTool(program, pkg))
    throw new Error(`${program} is needed and could not be installed with apt-get (package ${pkg})`);
}
const localSite = join(scratch, 'site.yml');
writeFileSync(localSite, `site_name: bench\nstate_dir: ${join(scratch, '.state')}\nnamespace: jhub\n`);

if (!only || only === 'startup') {
  // --- Start-up ---------------------------------------------------------------------------------
  section('start-up (medians of paired cold processes: each run beside a node -e 0 of its own)');
  /** The limits the bench holds start-up to, as ratios to a bare node started just before. */
  const startupLimits = { version: 1.5, dryRun: 2 };
  const pairs = Math.max(runs, 30);
  /** Runs `argv` and a bare node in turn, `pairs` times after a warm-up: the median of the ratios and of each. */
  /** @param {string[]} argv */
  function pairedWithNode(argv) {
    run(argv);
    const samples = Array.from({ length: pairs }, () => {
      const bare = run([process.execPath, '-e', '0']).ms;
      return { bare, ms: run(argv).ms };
    });
    return {
      ms: median(samples.map((sample) => sample.ms)),
      nodeMs: median(samples.map((sample) => sample.bare)),
      ratio: median(samples.map((sample) => sample.ms / sample.bare)),
    };
  }
  const version = pairedWithNode([process.execPath, bin, '--version']);
  const dryRun = pairedWithNode([process.execPath, bin, 'playbooks/rebuild-cluster.yml', '--dry-run']);
  // The first run after a build compiles the bundle and saves V8's code cache; every later run starts from it.
  const codeCache = join(root, 'node_modules/.cache/jhub-runner/code');
  const firstRun = median(
    Array.from({ length: Math.min(runs, 5) }, () => {
      rmSync(codeCache, { recursive: true, force: true });
      return run([process.execPath, bin, 'playbooks/rebuild-cluster.yml', '--dry-run']).ms;
    }),
  );
  results.startup = {
    pairs,
    version: { ...version, limit: startupLimits.version },
    dryRun: { ...dryRun, limit: startupLimits.dryRun },
    firstRunMs: firstRun,
  };
  row('  node -e 0', `${dryRun.nodeMs.toFixed(0)} ms`);
  row(
    '  run --version',
    `${version.ms.toFixed(0)} ms`,
    `${version.ratio.toFixed(2)}x node (limit ${startupLimits.version}x)`,
  );
  row(
    '  run rebuild-cluster.yml --dry-run (sandbox)',
    `${dryRun.ms.toFixed(0)} ms`,
    `${dryRun.ratio.toFixed(2)}x node (limit ${startupLimits.dryRun}x)`,
  );
  row(
    '  the same, first run after a build (no code cache yet)',
    `${firstRun.toFixed(0)} ms`,
    `${(firstRun / dryRun.nodeMs).toFixed(2)}x node`,
  );
  exceeded.push(
    ...(version.ratio > startupLimits.version
      ? [`run --version is ${version.ratio.toFixed(2)}x node, over ${startupLimits.version}x`]
      : []),
    ...(dryRun.ratio > startupLimits.dryRun
      ? [`a rebuild --dry-run is ${dryRun.ratio.toFixed(2)}x node, over ${startupLimits.dryRun}x`]
      : []),
  );
}
if (only === 'startup') {
  finish();
  process.exit();
}

if (!only) {
  // --- Per-step overhead ---------------------------------------------------------------------------
  section('100 command steps running /bin/true');
  const steps = Array.from(
    { length: 100 },
    (_, index) => `  - name: step ${index + 1}\n    tags: [step]\n    command: {argv: [/bin/true]}\n`,
  ).join('');
  writeFileSync(join(scratch, 'hundred.yml'), `name: hundred true\nsteps:\n${steps}`);
  const hundred = timeOf([process.execPath, bin, join(scratch, 'hundred.yml'), '-i', localSite, '--json']);
  // Every step skipped: loading, checking and the recap without a single step (an unknown tag is refused).
  const empty = timeOf([
    process.execPath,
    bin,
    join(scratch, 'hundred.yml'),
    '-i',
    localSite,
    '--json',
    '--skip-tags',
    'step',
  ]);
  const spawnOnly = median(
    Array.from({ length: runs }, () => {
      const started = process.hrtime.bigint();
      for (let index = 0; index < 100; index += 1) spawnSync('/bin/true');
      return Number(process.hrtime.bigint() - started) / 1e6;
    }),
  );
  const perStep = (hundred - empty - spawnOnly) / 100;
  row(
    '  jhub-runner',
    `${hundred.toFixed(0)} ms`,
    `${perStep.toFixed(2)} ms per step beyond the spawn (100 bare spawns: ${spawnOnly.toFixed(0)} ms)`,
  );
  const ansible = () => debianTool('/usr/bin/ansible-playbook', 'ansible-core');
  if (ansible()) {
    const tasks = Array.from(
      { length: 100 },
      (_, index) => `    - name: step ${index + 1}\n      ansible.builtin.command: /bin/true\n`,
    ).join('');
    writeFileSync(
      join(scratch, 'hundred-ansible.yml'),
      `- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n${tasks}`,
    );
    const ansibleRuns = Math.min(runs, 2);
    const env = {
      ...process.env,
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCALHOST_WARNING: 'false',
      ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
    };
    const argv = ['ansible-playbook', '-i', 'localhost,', join(scratch, 'hundred-ansible.yml')];
    run(argv, { env });
    const ansibleMs = median(Array.from({ length: ansibleRuns }, () => run(argv, { env }).ms));
    const version = run(['ansible-playbook', '--version'], { env }).stdout.split('\n')[0];
    results.perStep = {
      runnerMs: hundred,
      emptyRunMs: empty,
      spawnOnlyMs: spawnOnly,
      perStepOverheadMs: perStep,
      ansibleMs,
      ansible: version,
      speedup: ansibleMs / hundred,
      goal: 50,
    };
    row(
      `  ${version}`,
      `${ansibleMs.toFixed(0)} ms`,
      `jhub-runner is ${(ansibleMs / hundred).toFixed(1)}x faster (goal >= 50x)`,
    );
  } else {
    results.perStep = {
      runnerMs: hundred,
      emptyRunMs: empty,
      spawnOnlyMs: spawnOnly,
      perStepOverheadMs: perStep,
      ansible: 'not installable here',
    };
    row('  ansible-playbook', 'n/a', 'ansible-core could not be installed with apt-get');
  }
}

// --- Manifest scale --------------------------------------------------------------------------------
if (!only || only === 'backup') {
  section('rebuild transform of 10,000 PVs + 10,000 PVCs');
  const fixture = (/** @type {string} */ name) =>
    parse(readFileSync(join(root, 'test/fixtures/pv-restore', name), 'utf8'));
  const scale = 10_000;
  const backups = { json: join(scratch, 'backup-json'), yaml: join(scratch, 'backup-yaml') };
  for (const dir of Object.values(backups)) mkdirSync(dir, { recursive: true });
  const pvs = fixture('pv-intree.yaml');
  const pvcs = fixture('pvc-intree.yaml');
  /** @param {{ items: any[] }} list @param {(item: any, index: number) => any} make */
  const many = (list, make) =>
    Array.from({ length: scale }, (_, index) => make(structuredClone(list.items[index % list.items.length]), index));
  const user = (/** @type {number} */ index) => (index === 0 ? 'hub-db-dir' : `claim-user${index}`);
  const volumes = many(pvs, (pv, index) => {
    pv.metadata.name = `pvc-${String(index).padStart(8, '0')}-bench`;
    pv.spec.claimRef.name = user(index);
    pv.spec.claimRef.namespace = index % 10 === 9 ? 'other' : 'jhub';
    // Each volume its own cloud disk: the restore refuses two volumes of one disk.
    const disk = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    if (pv.spec.cinder) pv.spec.cinder.volumeID = disk;
    if (pv.spec.csi) pv.spec.csi.volumeHandle = disk;
    return pv;
  });
  const claims = many(pvcs, (pvc, index) => {
    pvc.metadata.name = user(index);
    pvc.metadata.namespace = index % 10 === 9 ? 'other' : 'jhub';
    pvc.spec.volumeName = `pvc-${String(index).padStart(8, '0')}-bench`;
    return pvc;
  });
  // The backup exactly as kubectl.backup_volumes writes it, and as the seed saves one by hand.
  const { kubeListText } = await import(join(root, 'dist/runner/plugins/kube/kube-list.js'));
  writeFileSync(join(backups.json, 'pv.json'), kubeListText(volumes));
  writeFileSync(join(backups.json, 'pvc.json'), kubeListText(claims));
  writeFileSync(join(backups.yaml, 'pv.yaml'), stringify({ ...pvs, items: volumes }, { version: '1.1', lineWidth: 0 }));
  writeFileSync(
    join(backups.yaml, 'pvc.yaml'),
    stringify({ ...pvcs, items: claims }, { version: '1.1', lineWidth: 0 }),
  );
  const sizeMb = (/** @type {string} */ dir, /** @type {string[]} */ names) =>
    names.reduce((total, name) => total + readFileSync(join(dir, name)).length, 0) / 1e6;
  // The same edit as kubectl.prepare_restore: each volume pre-bound to its claim by name, what the old cluster set stripped.
  const dropped =
    '.metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .metadata.selfLink, .metadata.managedFields, .metadata.finalizers, .status';
  const annotations = [
    'pv.kubernetes.io/bound-by-controller',
    'pv.kubernetes.io/bind-completed',
    'pv.kubernetes.io/provisioned-by',
    'volume.kubernetes.io/selected-node',
    'volume.beta.kubernetes.io/storage-provisioner',
    'volume.kubernetes.io/storage-provisioner',
  ]
    .map((name) => `.metadata.annotations["${name}"]`)
    .join(', ');
  const pvFilter = `.items |= map(select(.spec.claimRef.namespace == "jhub" and .spec.claimRef.name != "hub-db-dir") | .spec.persistentVolumeReclaimPolicy = "Retain" | del(.spec.claimRef.uid, .spec.claimRef.resourceVersion, ${dropped}, ${annotations}))`;
  const pvcFilter = `.items |= map(select(.metadata.namespace == "jhub" and .metadata.name != "hub-db-dir") | del(${dropped}, ${annotations}))`;
  /** @param {'json' | 'yaml'} format @param {string[]} tool */
  function transformOf(format, tool) {
    const backup = backups[format];
    for (const name of ['pv-restore.json', 'pvc-restore.json', 'restore-report.json'])
      rmSync(join(backup, name), { force: true });
    const runner = measured([
      process.execPath,
      bin,
      'playbooks/prepare-pv-restore.yml',
      '-i',
      localSite,
      '-e',
      `backup_dir=${backup}`,
    ]);
    const kept = JSON.parse(readFileSync(join(backup, 'pv-restore.json'), 'utf8')).items.length;
    const pv = measured([...tool, pvFilter, join(backup, `pv.${format}`)]);
    const pvc = measured([...tool, pvcFilter, join(backup, `pvc.${format}`)]);
    const toolKept = parse(pv.stdout).items.length;
    return {
      inputMb: sizeMb(backup, [`pv.${format}`, `pvc.${format}`]),
      runnerSeconds: runner.seconds,
      runnerPeakMb: runner.peakMb,
      kept,
      toolSeconds: pv.seconds + pvc.seconds,
      toolPeakMb: Math.max(pv.peakMb, pvc.peakMb),
      toolKept,
    };
  }
  const json = transformOf('json', ['jq']);
  /** The seed's own backup format, prepared at hub scale: the limits the bench holds it to. */
  const backupLimits = { seconds: 5, peakMb: 600 };
  const yaml = transformOf('yaml', ['yq', '-y']);
  results.manifestScale = { items: scale * 2, json, yaml, goalSeconds: 2, goalMb: 500 };
  row(
    `  jhub-runner, rebuild-cluster's JSON backup (${json.inputMb.toFixed(0)} MB)`,
    `${json.runnerSeconds.toFixed(2)} s`,
    `peak ${json.runnerPeakMb.toFixed(0)} MB; ${json.kept} PVs kept (goal <= 2 s, <= 500 MB)`,
  );
  row(
    '  jq, the same edit',
    `${json.toolSeconds.toFixed(2)} s`,
    `peak ${json.toolPeakMb.toFixed(0)} MB; ${json.toolKept} PVs kept`,
  );
  row(
    `  jhub-runner, a seed-style YAML backup (${yaml.inputMb.toFixed(0)} MB)`,
    `${yaml.runnerSeconds.toFixed(2)} s`,
    `peak ${yaml.runnerPeakMb.toFixed(0)} MB; ${yaml.kept} PVs kept; restore files written as JSON`,
  );
  row(
    '  yq -y (jq), the same edit',
    `${yaml.toolSeconds.toFixed(2)} s`,
    `peak ${yaml.toolPeakMb.toFixed(0)} MB; ${yaml.toolKept} PVs kept`,
  );

  if (yaml.runnerSeconds > backupLimits.seconds || yaml.runnerPeakMb > backupLimits.peakMb)
    exceeded.push(
      `a 10,000-user YAML backup took ${yaml.runnerSeconds.toFixed(2)} s and ${yaml.runnerPeakMb.toFixed(0)} MB to prepare, over ${backupLimits.seconds} s or ${backupLimits.peakMb} MB`,
    );
}
if (only === 'backup') {
  finish();
  process.exit();
}

// --- Hub scale -----------------------------------------------------------------------------------------
section('rebuild-cluster on the simulated site, the stand-in terraform');
/** @param {number} users */
function siteWith(users, terraform = 'auto') {
  const site = join(scratch, `site-${users}-${terraform}`);
  cpSync(join(root, 'inventory/sandbox'), site, {
    recursive: true,
    filter: (source) => !/\.state|terraform\.tfstate|\.terraform$/.test(source),
  });
  const text = readFileSync(join(site, 'site.yml'), 'utf8')
    .replace(/seed: \{users: \d+,/, `seed: {users: ${users},`)
    .replace(/^  terraform: auto$/m, `  terraform: ${terraform}`);
  writeFileSync(join(site, 'site.yml'), text);
  return site;
}
const recapOf = (/** @type {string} */ stdout) =>
  JSON.parse(
    stdout
      .trim()
      .split('\n')
      .filter((line) => line.includes('"type":"recap"'))
      .pop() ?? 'null',
  );
/** The largest hub the bench rebuilds, and the time it is held to (the stand-in terraform, so the figure is the runner's and the site's). */
const scaleLimit = { users: 10_000, seconds: 60 };
/** @type {Record<number, { seconds: number, processes: number, recheckProcesses: number, workProcesses: number }>} */
const hubScale = {};
for (const users of (process.env.BENCH_USERS ?? `10,1000,${scaleLimit.users}`).split(',').map(Number)) {
  // The stand-in: the real terraform's work does not grow with users, and its process count is another engine's.
  const site = siteWith(users, 'stand-in');
  run([process.execPath, bin, 'playbooks/deploy-jhub.yml', '-i', site, '--json']);
  const rebuilt = run([process.execPath, bin, 'playbooks/rebuild-cluster.yml', '-i', site, '--yes', '--json']);
  const recap = recapOf(rebuilt.stdout);
  if (recap.failed > 0) throw new Error(`rebuild with ${users} users failed`);
  const work = recap.processes - recap.recheckProcesses;
  const seconds = rebuilt.ms / 1000;
  hubScale[users] = {
    seconds,
    processes: recap.processes,
    recheckProcesses: recap.recheckProcesses,
    workProcesses: work,
  };
  const limited = users === scaleLimit.users;
  row(
    `  ${users} users`,
    `${seconds.toFixed(1)} s`,
    `${work} processes, + ${recap.recheckProcesses} re-checks while waiting${limited ? ` (limit ${scaleLimit.seconds} s)` : ''}`,
  );
  if (limited && seconds > scaleLimit.seconds)
    exceeded.push(`a rebuild of ${users} users took ${seconds.toFixed(1)} s, over ${scaleLimit.seconds} s`);
  rmSync(site, { recursive: true, force: true });
}
const counts = new Set(Object.values(hubScale).map((entry) => entry.workProcesses));
results.hubScale = { ...hubScale, sameProcessCount: counts.size === 1, limit: scaleLimit };
row(
  '  processes started, re-checks aside',
  counts.size === 1 ? 'same' : 'DIFFER',
  'for every number of users (goal: the same)',
);
if (counts.size !== 1) exceeded.push(`the rebuild started ${[...counts].join(' or ')} processes, by number of users`);
if (only === 'scale') {
  finish();
  process.exit();
}
// The live task list in a terminal (a pseudo-terminal from util-linux script) against plain lines: a
// --check of the rebuild on a 100-user site, which draws every diff and waits for nothing.
{
  const site = siteWith(100);
  run([process.execPath, bin, 'playbooks/deploy-jhub.yml', '-i', site, '--json']);
  const argv = [process.execPath, bin, 'playbooks/rebuild-cluster.yml', '-i', site, '--check'];
  const { CI: _ci, ...env } = process.env;
  const command = `stty cols 150 rows 50 && exec ${argv.map((part) => `'${part}'`).join(' ')}`;
  const samples = Math.min(runs, 5);
  const plain = median(Array.from({ length: samples }, () => run(argv).ms));
  const live = median(
    Array.from(
      { length: samples },
      () => run(['script', '-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' } }).ms,
    ),
  );
  results.terminal = { users: 100, plainCheckMs: plain, liveTaskListCheckMs: live };
  row('  100 users, --check, plain lines', `${(plain / 1000).toFixed(2)} s`);
  row(
    '  100 users, --check, live task list in a terminal',
    `${(live / 1000).toFixed(2)} s`,
    `${((live - plain) / 1000).toFixed(2)} s for drawing it`,
  );
  rmSync(site, { recursive: true, force: true });
}
section('rebuild-cluster by terraform engine');
// The same 10-user rebuild with the real terraform (its graph, saved plans, lock and state) and with the stand-in.
{
  const terraformVersion = (() => {
    try {
      return JSON.parse(
        execFileSync('terraform', ['version', '-json'], {
          encoding: 'utf8',
          env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
        }),
      ).terraform_version;
    } catch {
      return undefined;
    }
  })();
  const samples = Math.min(runs, 3);
  results.terraformEngines = {};
  for (const engine of terraformVersion ? ['real', 'stand-in'] : ['stand-in']) {
    const site = siteWith(10, engine);
    run([process.execPath, bin, 'playbooks/deploy-jhub.yml', '-i', site, '--json']);
    const times = Array.from({ length: samples }, () => {
      const rebuilt = run([process.execPath, bin, 'playbooks/rebuild-cluster.yml', '-i', site, '--yes', '--json']);
      if (recapOf(rebuilt.stdout).failed > 0) throw new Error(`rebuild with the ${engine} terraform failed`);
      return rebuilt.ms;
    });
    const ms = median(times);
    results.terraformEngines[engine] = { ms, version: engine === 'real' ? terraformVersion : undefined };
    row(
      `  10 users, ${engine === 'real' ? `the real terraform ${terraformVersion}` : 'the stand-in terraform'}`,
      `${(ms / 1000).toFixed(1)} s`,
      `median of ${samples} rebuilds`,
    );
    rmSync(site, { recursive: true, force: true });
  }
  if (!terraformVersion) row('  10 users, the real terraform', 'n/a', 'no terraform on PATH');
}

/** Prints the table, writes the results with the machine they were taken on, and fails when a figure is over its limit. */
function finish() {
  const width = Math.max(...rows.map((entry) => entry[0].length));
  console.log(`\njhub-runner bench, ${new Date().toISOString()}, node ${process.version}, medians of ${runs} runs\n`);
  for (const [name, value, note] of rows)
    console.log(value ? `${name.padEnd(width)}  ${value.padStart(10)}  ${note}` : `\n${name}`);
  // The machine the figures were taken on, committed with them, so a regression shows in review.
  const machine = {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg(),
    kernel: release(),
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs, machine, ...results }, null, 2)}\n`,
  );
  console.log(`\nwritten ${file}`);
  rmSync(scratch, { recursive: true, force: true });
  if (exceeded.length > 0) {
    console.error(`\nover a limit: ${exceeded.join('; ')}`);
    process.exitCode = 1;
  }
}
finish();
