import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObjects } from '../helpers/site-objects.js';
import { cloudDeletions, floatingIpOf } from '../helpers/cloud-records.js';
import { terraformEngines, type TerraformEngine } from '../helpers/terraform-engines.js';
import { cloudOperations } from '../../sandbox/cloud/cloud-ledger.js';
import { holdAt, type Held } from '../helpers/hold-point.js';
import { processAlive } from '../../runner/exec/process-identity.js';
import { builtinPlugins } from '../../runner/plugins/registry.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: Record<string, any>[];
  stderr: string;
}

/** The process groups of the tools a run has running, from the record it keeps for the next run. */
function toolGroups(site: string): number[] {
  try {
    return (JSON.parse(readFileSync(`${site}/.state/tools.json`, 'utf8')) as { pid: number }[]).map((tool) => tool.pid);
  } catch {
    return [];
  }
}

/**
 * Runs the real CLI in its own process, and SIGKILLs the runner once something waits at `killAt`:
 * the runner alone (its tools run on, in their own process groups), or with `withTools` its tools' groups too.
 */
function runCli(site: string, args: string[], killAt?: Held, withTools = false): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${root}/bin/run.js`, ...args, '-i', site, '--yes', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...killAt?.env } });
    const events: Record<string, any>[] = [];
    let buffered = '';
    if (killAt) {
      // The holder waits until released, so this poll cannot miss it.
      const poll = setInterval(() => {
        if (!killAt.reached()) return;
        clearInterval(poll);
        const groups = withTools ? toolGroups(site) : [];
        child.kill('SIGKILL');
        for (const group of groups) {
          try {
            process.kill(-group, 'SIGKILL');
          } catch {
            // That tool had already ended.
          }
        }
      }, 5);
      child.on('exit', () => clearInterval(poll));
    }
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      events.push(...lines.map((line) => JSON.parse(line)));
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, events, stderr }));
  });
}

/** Waits until the tools a killed run left running have ended (a tool held at its start runs once released, as it would have). */
async function orphansEnded(site: string, held: Held): Promise<void> {
  const pids = [...toolGroups(site), ...held.holders()];
  const deadline = Date.now() + 120_000;
  while (pids.some((pid) => processAlive(pid))) {
    if (Date.now() > deadline) throw new Error(`the killed run's tools ${pids.join(', ')} never ended`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What must be the same after any interrupted-and-resumed run as after an uninterrupted one. */
function endState(site: string) {
  const objects = siteObjects(site);
  const volumes = new Map(objects.filter((object) => object.kind === 'PersistentVolume').map((pv) => [pv.metadata.name, pv.spec.csi?.volumeHandle ?? pv.spec.cinder?.volumeID]));
  const claims = objects.filter((object) => object.kind === 'PersistentVolumeClaim');
  return {
    users: Object.fromEntries(claims.filter((claim) => claim.metadata.name.startsWith('claim-')).map((claim) => [claim.metadata.name, `${claim.status?.phase} ${volumes.get(claim.spec.volumeName)}`])),
    hubDb: claims.find((claim) => claim.metadata.name === 'hub-db-dir')?.status?.phase,
    deployments: objects.filter((object) => object.kind === 'Deployment').map((deployment) => `${deployment.metadata.name} ${deployment.status?.readyReplicas}`).sort(),
    nodes: objects.filter((object) => object.kind === 'Node').length,
    pendingRestore: existsSync(`${site}/.state/restores/jhub.json`),
  };
}

// What this run wrote, and the user claims compared with where this run found them, depend on where it started; endState checks each user's volume.
const summaryOf = (run: Run) => (run.events.find((event) => event.type === 'site:summary')?.lines ?? []).filter((line: string) => !line.includes('this run:') && !line.startsWith('  user claims') && !line.startsWith('    '));

interface Point {
  label: string;
  /** Where the site holds the run (sandbox/support/hold-point.ts); the runner is killed once something waits there. */
  hold: string;
}

/** The runner killed as each tool it starts is about to run, the tool then let go to run on without it. */
const toolStarts = (count: number): Point[] =>
  Array.from({ length: count }, (_, index) => ({ label: `as tool ${index + 1} of ${count} starts`, hold: `tool-start@${index}` }));

/**
 * A site deployed once, copied for each kill point; the clean run's end state is what every resumed
 * run must reach. The clean run also lists the tools the playbook starts, one kill point each.
 */
function faultSuite(playbook: string, toolCount: number, points: Point[]): void {
  let base: string;
  let template: string;
  let expected: { state: ReturnType<typeof endState>; summary: string[] };
  let count = 0;
  const siteCopy = async () => {
    const site = join(base, `site-${(count += 1)}`);
    await cp(template, site, { recursive: true });
    return site;
  };

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'faults-'));
    template = join(base, 'template');
    const deployed = await sandboxSiteCopy({ seed: { users: 6, namespace: 'jhub', deleted_users: 1 } });
    expect((await runApp([`${root}/playbooks/deploy-jhub.yml`, '-i', deployed])).code).toBe(0);
    await cp(deployed, template, { recursive: true });
    const site = await siteCopy();
    // Held at no start: every start is listed and let through.
    const listing = holdAt('tool-start', Number.MAX_SAFE_INTEGER);
    const clean = await runCli(site, [`${root}/playbooks/${playbook}`], listing);
    expect(clean.code).toBe(0);
    const tools = listing.starts();
    // A wait that polls may start its tool again on a busy machine: the points are the starts every run makes.
    expect(tools.length, 'the tools this playbook starts: a kill point each').toBeGreaterThanOrEqual(toolCount);
    expected = { state: endState(site), summary: summaryOf(clean) };
    expect(Object.keys(expected.state.users)).toHaveLength(6);
  }, 120_000);

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it.concurrent.each([...toolStarts(toolCount), ...points])(`${playbook}, killed $label: every user volume survives and the end state equals a clean run`, async ({ hold }) => {
    const site = await siteCopy();
    const [point, after] = hold.split('@') as [string, string];
    const held = holdAt(point, Number(after));
    const killed = await runCli(site, [`${root}/playbooks/${playbook}`], held);
    const where = point === 'tool-start' ? `as tool ${Number(after) + 1} started (${held.starts()[Number(after)] ?? 'it never did'})` : `at ${hold}`;
    // Why a run ended on its own, when it did: its exit code, what it said, and the tools it had started.
    const endedOnItsOwn = () => `the run was to be killed ${where}, but exited ${killed.code}: ${killed.stderr}\ntools started: ${held.starts().join('\n')}\nlast events: ${killed.events.slice(-3).map((event) => JSON.stringify(event)).join('\n')}`;
    expect(killed.signal, endedOnItsOwn()).toBe('SIGKILL');
    expect(killed.events.some((event) => event.type === 'recap')).toBe(false);
    held.release();
    await orphansEnded(site, held);
    let resumed = await runCli(site, [`${root}/playbooks/${playbook}`, '--resume']);
    if (!killed.events.some((event) => event.type === 'run:start')) {
      // Killed while it still read the site, before its journal began: nothing to resume, and a new run starts over.
      expect(resumed.code, resumed.stderr).toBe(3);
      expect(resumed.stderr).toContain('--resume: no unfinished run of');
      resumed = await runCli(site, [`${root}/playbooks/${playbook}`]);
    }
    const ends = resumed.events.filter((event) => event.type === 'step:end');
    // The runner was waiting inside a step when it died: every step it reported finished, and no other, is taken from the journal, never run twice
    // (but the checks that hold only while the world does, which a resume runs again).
    const seen = killed.events.filter((event) => event.type === 'step:end' && !rechecked.has(event.plugin)).length;
    const skipped = ends.filter((event) => /^done in run \d{8}T\d{6}\.\d{3}Z/.test(event.reason)).length;
    expect(skipped, `steps taken from the journal, killed ${where}`).toBe(seen);
    expect(resumed.code, JSON.stringify(ends.filter((event) => event.status === 'failed'))).toBe(0);
    expect(endState(site)).toEqual(expected.state);
    expect(summaryOf(resumed)).toEqual(expected.summary);
  }, 180_000);
}

// Inside helm's own work, held at an API write: the runner, and the API server it hosts, die with helm half-way.
const rebuildPoints: Point[] = [
  { label: 'inside helm install, once it has written its release record (pending-install)', hold: 'kube-write:PATCH jhub/configmaps@0' },
];
const reinstallPoints: Point[] = [
  { label: 'inside helm uninstall, once it has marked the release uninstalling', hold: 'kube-write:DELETE jhub/statefulsets@0' },
  { label: 'inside helm install, once it has written its release record (pending-install)', hold: 'kube-write:PATCH jhub/configmaps@0' },
];
// kubectl, helm, terraform and Kubespray, as a clean run on a quiet machine starts them (a poll may add one).
const rebuildTools = 34;
/** Steps a resumed run runs again instead of taking them from the journal. */
const rechecked = new Set(builtinPlugins.filter((plugin) => plugin.rechecksOnResume).map((plugin) => plugin.name));
const reinstallTools = 21;

/** How many cloud calls of one kind the sandbox's cloud has answered so far. */
const cloudCalls = (site: string, op: 'create' | 'delete') => cloudOperations(`${site}/.state`).filter((call) => call.op === op).length;

/** Once the step's terraform has had one cloud call of `op` answered, it is held at its next one: mid-apply or mid-destroy, with some of the plan done and some not. */
const midTerraform = (op: 'create' | 'delete') => (site: string) => holdAt(`cloud-${op}`, cloudCalls(site, op) + 1);

/** A kill of the runner and of the terraform it runs (as the OOM killer or a lost machine would), in the middle of terraform's work. */
function terraformKillSuite(engine: TerraformEngine): void {
  let base: string;
  let template: string;
  let expected: ReturnType<typeof endState>;

  beforeAll(async () => {
    const deployed = await sandboxSiteCopy({ seed: { users: 4, namespace: 'jhub', deleted_users: 1 }, terraform: engine });
    expect((await runApp([`${root}/playbooks/deploy-jhub.yml`, '-i', deployed])).code).toBe(0);
    // A folder of this suite's own: the helper's temporary folders go when the first concurrent test ends.
    base = await mkdtemp(join(tmpdir(), 'terraform-kill-'));
    template = join(base, 'template');
    await cp(deployed, template, { recursive: true });
    const site = `${template}-clean`;
    await cp(template, site, { recursive: true });
    expect((await runCli(site, [`${root}/playbooks/rebuild-cluster.yml`])).code).toBe(0);
    expected = endState(site);
  }, 180_000);

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it.concurrent.each([
    { label: 'in the middle of terraform apply', hold: midTerraform('create') },
    { label: 'in the middle of terraform destroy', hold: midTerraform('delete') },
  ])(`$label (${engine} terraform): resume ends in the fault-free state, the floating IP never deleted`, async ({ hold }) => {
    const site = `${template}-${Math.random().toString(36).slice(2)}`;
    await cp(template, site, { recursive: true });
    const floatingIp = floatingIpOf(site);
    const killed = await runCli(site, [`${root}/playbooks/rebuild-cluster.yml`], hold(site), true);
    // Why a run ended on its own, when it did: its exit code and what it said.
    expect(killed.signal, `exit ${killed.code}: ${killed.stderr}`).toBe('SIGKILL');
    const stateLeft = readFileSync(`${site}/terraform/terraform.tfstate`, 'utf8');
    let resumed = await runCli(site, [`${root}/playbooks/rebuild-cluster.yml`, '--resume']);
    const lockFile = `${site}/terraform/.terraform.tfstate.lock.info`;
    if (engine === 'stand-in') {
      // The stand-in keeps its lock as a remote backend does: a killed apply leaves it, and the run says how to release it.
      const stdout = resumed.events.map((event) => JSON.stringify(event)).join('\n');
      const id = /force-unlock ([0-9a-f-]{36})/.exec(stdout)?.[1];
      expect(resumed.code, 'the left lock stops the resumed run').toBe(1);
      expect(id, 'the run names the lock and how to release it').toBeDefined();
      expect(existsSync(lockFile), 'the runner never breaks the lock itself').toBe(true);
      // The command the run printed, as the operator would type it.
      expect(spawnSync(process.execPath, [`${root}/sandbox/bin/sim-terraform.mjs`, `-chdir=${site}/terraform`, 'force-unlock', '-force', id!]).status).toBe(0);
      resumed = await runCli(site, [`${root}/playbooks/rebuild-cluster.yml`, '--resume']);
    }
    const cutShort = resumed.events.find((event) => event.type === 'step:end' && event.refused && /terraform was stopped while writing it/.test(event.error ?? ''));
    if (cutShort) {
      // The kill landed inside terraform's own state write (real terraform truncates, then writes): the run refuses before terraform runs, and the operator puts back the backup it names.
      expect(engine).toBe('real');
      expect(resumed.code).toBe(4);
      expect(readFileSync(`${site}/terraform/terraform.tfstate`, 'utf8')).toBe(stateLeft);
      const backup = /`cp (\S+) (\S+)`/.exec(cutShort.error)!;
      expect(spawnSync('cp', [backup[1]!, backup[2]!], { cwd: site }).status).toBe(0);
      resumed = await runCli(site, [`${root}/playbooks/rebuild-cluster.yml`, '--resume']);
    }
    expect(resumed.code, `${resumed.stderr}${JSON.stringify(resumed.events.filter((event) => event.status === 'failed'))}`).toBe(0);
    expect(endState(site)).toEqual(expected);
    expect(floatingIpOf(site)).toEqual(floatingIp);
    expect([...cloudDeletions(site, 'floatingip'), ...cloudDeletions(site, 'router')]).toEqual([]);
  }, 180_000);
}

describe('killed (SIGKILL) at any point, then --resume', () => {
  it('has at least 40 kill points across rebuild-cluster and reinstall-jhub', () => expect(rebuildTools + rebuildPoints.length + reinstallTools + reinstallPoints.length).toBeGreaterThanOrEqual(40));
  describe('rebuild-cluster', () => faultSuite('rebuild-cluster.yml', rebuildTools, rebuildPoints));
  describe('reinstall-jhub', () => faultSuite('reinstall-jhub.yml', reinstallTools, reinstallPoints));
  describe.each(terraformEngines)('rebuild-cluster, with its %s terraform', (engine) => terraformKillSuite(engine));
});
