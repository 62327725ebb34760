import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObjects } from '../helpers/site-objects.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rebuild = `${root}/playbooks/rebuild-cluster.yml`;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: Record<string, any>[];
}

/** Runs the real CLI in its own process; `killWhen` sees each JSON event and may SIGKILL the run there. */
function runCli(args: string[], killWhen?: (event: Record<string, any>) => number | undefined): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${root}/bin/run.js`, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const events: Record<string, any>[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const event = JSON.parse(line);
        events.push(event);
        const delay = killWhen?.(event);
        if (delay !== undefined) setTimeout(() => child.kill('SIGKILL'), delay);
      }
    });
    child.on('exit', (code, signal) => resolve({ code, signal, events }));
  });
}

/** What must be the same after any interrupted-and-resumed rebuild as after an uninterrupted one. */
function endState(site: string) {
  const objects = siteObjects(site);
  const volumes = new Map(objects.filter((object) => object.kind === 'PersistentVolume').map((pv) => [pv.metadata.name, pv.spec.csi?.volumeHandle ?? pv.spec.cinder?.volumeID]));
  const claims = objects.filter((object) => object.kind === 'PersistentVolumeClaim');
  return {
    users: Object.fromEntries(claims.filter((claim) => claim.metadata.name.startsWith('claim-')).map((claim) => [claim.metadata.name, `${claim.status?.phase} ${volumes.get(claim.spec.volumeName)}`])),
    hubDb: claims.find((claim) => claim.metadata.name === 'hub-db-dir')?.status?.phase,
    deployments: objects.filter((object) => object.kind === 'Deployment').map((deployment) => `${deployment.metadata.name} ${deployment.status?.readyReplicas}`).sort(),
    nodes: objects.filter((object) => object.kind === 'Node').length,
  };
}

const summaryOf = (run: Run) => (run.events.find((event) => event.type === 'site:summary')?.lines ?? []).filter((line: string) => !line.includes('this run:'));

// 16 step boundaries, and the middle of the steps that take time.
const points = [
  ...Array.from({ length: 15 }, (_, index) => ({ label: `after step ${index + 1}`, finished: index + 1, at: (event: Record<string, any>) => (event.type === 'step:end' && event.index === index ? 0 : undefined) })),
  ...[0, 3, 6, 7, 8, 12].map((index) => ({ label: `inside step ${index + 1}`, finished: index, at: (event: Record<string, any>) => (event.type === 'step:start' && event.index === index ? 40 : undefined) })),
];

describe('rebuild-cluster killed (SIGKILL) at any point, then --resume', () => {
  // The kill points run concurrently, so each owns its folder under one removed at the end.
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
    base = await mkdtemp(join(tmpdir(), 'rebuild-faults-'));
    template = join(base, 'template');
    const deployed = await sandboxSiteCopy({ seed: { users: 6, namespace: 'jhub' } });
    expect((await runApp([`${root}/playbooks/deploy-jhub.yml`, '-i', deployed])).code).toBe(0);
    await cp(deployed, template, { recursive: true });
    const site = await siteCopy();
    const clean = await runCli([rebuild, '-i', site, '--yes']);
    expect(clean.code).toBe(0);
    expected = { state: endState(site), summary: summaryOf(clean) };
    expect(Object.keys(expected.state.users)).toHaveLength(6);
  }, 120_000);

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('has at least 20 kill points', () => expect(points.length).toBeGreaterThanOrEqual(20));

  it.concurrent.each(points)('$label: every user volume survives and the end state equals a clean run', async ({ at, finished }) => {
    const site = await siteCopy();
    const killed = await runCli([rebuild, '-i', site, '--yes'], at);
    expect(killed.signal, 'the run was killed before it ended').toBe('SIGKILL');
    expect(killed.events.some((event) => event.type === 'recap')).toBe(false);
    const resumed = await runCli([rebuild, '-i', site, '--yes', '--resume']);
    const ends = resumed.events.filter((event) => event.type === 'step:end');
    // The kill lands at the point or a little after it (quick steps may finish before it arrives).
    const seen = killed.events.filter((event) => event.type === 'step:end').length;
    expect(seen).toBeGreaterThanOrEqual(finished);
    // Every step the killed run reported is taken from the journal, never run twice; one killed just
    // after its journal line (before it could say so) is found done too.
    const skipped = ends.filter((event) => /^done in run \d{8}T\d{6}Z/.test(event.reason)).length;
    expect(skipped === seen || skipped === seen + 1, `${skipped} steps taken from the journal, ${seen} reported finished`).toBe(true);
    expect(resumed.code, JSON.stringify(ends.filter((event) => event.status === 'failed'))).toBe(0);
    expect(endState(site)).toEqual(expected.state);
    expect(summaryOf(resumed)).toEqual(expected.summary);
  }, 120_000);
});
