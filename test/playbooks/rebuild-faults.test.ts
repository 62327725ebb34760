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
import { holdAt } from '../helpers/hold-point.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: Record<string, any>[];
  stderr: string;
}

/** When to kill: given each JSON event (and the site), a delay in ms from now, or a condition on the site to wait for. */
type KillWhen = (event: Record<string, any>) => number | ((site: string) => boolean) | undefined;

/** The process groups of the tools a run has running, from the record it keeps for the next run. */
function toolGroups(site: string): number[] {
  try {
    return (JSON.parse(readFileSync(`${site}/.state/tools.json`, 'utf8')) as { pid: number }[]).map((tool) => tool.pid);
  } catch {
    return [];
  }
}

/**
 * Runs the real CLI in its own process, and SIGKILLs the runner where `killWhen` says: the runner
 * alone (its tools run on, in their own process groups), or with `withTools` its tools' groups too.
 */
function runCli(site: string, args: string[], killWhen?: KillWhen, withTools = false, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${root}/bin/run.js`, ...args, '-i', site, '--yes', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const events: Record<string, any>[] = [];
    let buffered = '';
    const kill = () => {
      const groups = withTools ? toolGroups(site) : [];
      child.kill('SIGKILL');
      for (const group of groups) {
        try {
          process.kill(-group, 'SIGKILL');
        } catch {
          // That tool had already ended.
        }
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const event = JSON.parse(line);
        events.push(event);
        const when = killWhen?.(event);
        if (typeof when === 'number') setTimeout(kill, when);
        else if (when) {
          const poll = setInterval(() => {
            if (!when(site)) return;
            clearInterval(poll);
            kill();
          }, 5);
          child.on('exit', () => clearInterval(poll));
        }
      }
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, events, stderr }));
  });
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

/** helm has written its release record (a Secret labelled with the operation's status) to the site. */
const releaseRecorded = (status: string) => (site: string) => {
  const journal = `${site}/.state/cluster.jsonl`;
  return existsSync(journal) && readFileSync(journal, 'utf8').includes(`"status":"${status}"`);
};

interface Point {
  label: string;
  /** Steps certainly finished when the kill lands. */
  finished: number;
  at: KillWhen;
}

/** A kill right after each step boundary, and early, in the middle and late inside each step that runs a tool for long. */
function killPoints(steps: number, longSteps: number[]): Point[] {
  return [
    ...Array.from({ length: steps - 1 }, (_, index) => ({ label: `after step ${index + 1}`, finished: index + 1, at: (event: Record<string, any>) => (event.type === 'step:end' && event.index === index ? 0 : undefined) })),
    ...longSteps.flatMap((index) => [
      { label: `early in step ${index + 1}`, finished: index, at: (event: Record<string, any>) => (event.type === 'step:start' && event.index === index ? 40 : undefined) },
      { label: `in the middle of step ${index + 1}`, finished: index, at: (event: Record<string, any>) => (event.type === 'step:start' && event.index === index ? 250 : undefined) },
      { label: `late in step ${index + 1}`, finished: index, at: (event: Record<string, any>) => (event.type === 'step:plan' && event.index === index ? 60 : undefined) },
    ]),
  ];
}

/** A site deployed once, copied for each kill point; the clean run's end state is what every resumed run must reach. */
function faultSuite(playbook: string, points: Point[]): void {
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
    const clean = await runCli(site, [`${root}/playbooks/${playbook}`]);
    expect(clean.code).toBe(0);
    expected = { state: endState(site), summary: summaryOf(clean) };
    expect(Object.keys(expected.state.users)).toHaveLength(6);
  }, 120_000);

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it.concurrent.each(points)(`${playbook}, $label: every user volume survives and the end state equals a clean run`, async ({ at, finished }) => {
    let site = await siteCopy();
    let killed = await runCli(site, [`${root}/playbooks/${playbook}`], at);
    // Under load this process may read a late step's event only after the last quick steps are done: the kill missed, so try that point again.
    for (let attempt = 2; attempt <= 3 && killed.signal !== 'SIGKILL'; attempt += 1) {
      site = await siteCopy();
      killed = await runCli(site, [`${root}/playbooks/${playbook}`], at);
    }
    expect(killed.signal, 'the run was killed before it ended').toBe('SIGKILL');
    expect(killed.events.some((event) => event.type === 'recap')).toBe(false);
    const resumed = await runCli(site, [`${root}/playbooks/${playbook}`, '--resume']);
    const ends = resumed.events.filter((event) => event.type === 'step:end');
    // The kill lands at the point or a little after it (quick steps may finish before it arrives).
    const seen = killed.events.filter((event) => event.type === 'step:end').length;
    expect(seen).toBeGreaterThanOrEqual(finished);
    // Every step the killed run reported is taken from the journal, never run twice; one killed just
    // after its journal line (before it could say so) is found done too.
    const skipped = ends.filter((event) => /^done in run \d{8}T\d{6}\.\d{3}Z/.test(event.reason)).length;
    expect(skipped === seen || skipped === seen + 1, `${skipped} steps taken from the journal, ${seen} reported finished`).toBe(true);
    expect(resumed.code, JSON.stringify(ends.filter((event) => event.status === 'failed'))).toBe(0);
    expect(endState(site)).toEqual(expected.state);
    expect(summaryOf(resumed)).toEqual(expected.summary);
  }, 180_000);
}

// rebuild-cluster: 27 steps. Tools: backup (0), Retain (2), destroy (3), apply (6), Kubespray (7), restore (8), helm install (23).
const rebuildPoints: Point[] = [
  ...killPoints(27, [0, 2, 3, 6, 7, 8, 23]),
  { label: 'inside helm install, once it has written its release record (pending-install)', finished: 23, at: (event) => (event.type === 'step:start' && event.index === 23 ? releaseRecorded('pending-install') : undefined) },
];
// reinstall-jhub: 20 steps. Tools: helm uninstall (2), helm install (16).
const reinstallPoints: Point[] = [
  ...killPoints(20, [2, 16]),
  { label: 'inside helm uninstall, once it has marked the release uninstalling', finished: 2, at: (event) => (event.type === 'step:start' && event.index === 2 ? releaseRecorded('uninstalling') : undefined) },
  { label: 'inside helm install, once it has written its release record (pending-install)', finished: 16, at: (event) => (event.type === 'step:start' && event.index === 16 ? releaseRecorded('pending-install') : undefined) },
];

/** How many cloud calls of one kind the sandbox's cloud has answered so far. */
const cloudCalls = (site: string, op: 'create' | 'delete') => cloudOperations(`${site}/.state`).filter((call) => call.op === op).length;

/** Once the step's terraform has had one cloud call of `op` answered, it is held at its next one: mid-apply or mid-destroy, with some of the plan done and some not. */
const midTerraform = (step: number, op: 'create' | 'delete') => (site: string) => {
  const held = holdAt(`cloud-${op}`, cloudCalls(site, op) + 1);
  const at: KillWhen = (event) => (event.type === 'step:start' && event.index === step ? () => held.reached() : undefined);
  return { at, env: held.env };
};

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
    { label: 'in the middle of terraform apply', hold: midTerraform(6, 'create') },
    { label: 'in the middle of terraform destroy', hold: midTerraform(3, 'delete') },
  ])(`$label (${engine} terraform): resume ends in the fault-free state, the floating IP never deleted`, async ({ hold }) => {
    const site = `${template}-${Math.random().toString(36).slice(2)}`;
    await cp(template, site, { recursive: true });
    const floatingIp = floatingIpOf(site);
    const { at, env } = hold(site);
    const killed = await runCli(site, [`${root}/playbooks/rebuild-cluster.yml`], at, true, env);
    expect(killed.signal).toBe('SIGKILL');
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
      expect(spawnSync(process.execPath, [`${root}/bin/sim-terraform.mjs`, `-chdir=${site}/terraform`, 'force-unlock', '-force', id!]).status).toBe(0);
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
  it('has at least 40 kill points across rebuild-cluster and reinstall-jhub', () => expect(rebuildPoints.length + reinstallPoints.length).toBeGreaterThanOrEqual(40));
  describe('rebuild-cluster', () => faultSuite('rebuild-cluster.yml', rebuildPoints));
  describe('reinstall-jhub', () => faultSuite('reinstall-jhub.yml', reinstallPoints));
  describe.each(terraformEngines)('rebuild-cluster, with its %s terraform', (engine) => terraformKillSuite(engine));
});
