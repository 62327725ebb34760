import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onSite, until, userManifests, type SiteKubectl } from '../../helpers/on-site.js';
import { realControlPlaneTestsRun } from '../../helpers/real-control-plane.js';
import { runApp } from '../../helpers/run-app.js';
import { sandboxSiteCopy } from '../../helpers/sandbox-site-copy.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../../playbooks/${name}.yml`, import.meta.url));

/** What a user of the site sees after a step, with the names a controller makes up (pod hashes) taken out. */
type Observation = Record<string, unknown>;

const kinds = [
  'pvc',
  'pv',
  'pods',
  'deployments',
  'daemonsets',
  'statefulsets',
  'replicasets',
  'pdb',
  'services',
  'jobs',
];

async function json(kubectl: SiteKubectl, args: string[]): Promise<any[]> {
  const result = await kubectl([...args, '-o', 'json']);
  return result.exitCode === 0 ? JSON.parse(result.stdout).items : [];
}

/** Pods by what made them (component label, else the name without its hash), with each one's phase and readiness. */
function podStates(pods: any[]): Record<string, string[]> {
  const states: Record<string, string[]> = {};
  for (const pod of pods) {
    const owner =
      pod.metadata.labels?.component ?? String(pod.metadata.name).replace(/-[a-z0-9]{5,10}(-[a-z0-9]{5})?$/, '');
    const ready = (pod.status?.conditions ?? []).find((condition: any) => condition.type === 'Ready')?.status ?? 'None';
    const waiting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
      .map((status: any) => status.state?.waiting?.reason)
      .filter(Boolean);
    (states[owner] ??= []).push([pod.status?.phase, `Ready=${ready}`, ...waiting].join(' '));
  }
  for (const list of Object.values(states)) list.sort();
  return states;
}

async function observe(site: string): Promise<Observation> {
  return onSite(site, async (kubectl) => {
    const headers: Record<string, string> = {};
    for (const kind of kinds) {
      const table = await kubectl(['get', kind, ...(kind === 'pv' ? [] : ['-n', 'jhub'])]);
      headers[kind] = (table.stdout.split('\n')[0] ?? table.stderr)
        .trim()
        .split(/\s{2,}/)
        .join(' | ');
    }
    const claims = await json(kubectl, ['get', 'pvc', '-A']);
    const volumes = await json(kubectl, ['get', 'pv']);
    const events = await json(kubectl, ['get', 'events', '-n', 'jhub']);
    const all = await kubectl(['get', 'all', '-n', 'jhub']);
    return {
      headers,
      getAll: all.exitCode,
      claims: Object.fromEntries(
        claims.map((claim) => [`${claim.metadata.namespace}/${claim.metadata.name}`, claim.status?.phase]),
      ),
      volumes: Object.fromEntries(
        volumes.map((pv) => [
          `${pv.spec.claimRef?.namespace}/${pv.spec.claimRef?.name}`,
          `${pv.status?.phase} ${pv.spec.persistentVolumeReclaimPolicy} ${pv.spec.storageClassName}`,
        ]),
      ),
      pods: podStates(await json(kubectl, ['get', 'pods', '-n', 'jhub'])),
      jobEvents: [
        ...new Set(events.filter((event) => event.involvedObject.kind === 'Job').map((event) => event.reason)),
      ].sort(),
      // WaitForFirstConsumer and WaitForPodScheduled are said only when the PV controller looks at a claim before the scheduler placed its pod: a race on any cluster.
      claimEvents: [
        ...new Set(
          events
            .filter((event) => event.involvedObject.kind === 'PersistentVolumeClaim')
            .map((event) => event.reason)
            .filter((reason) => !['WaitForFirstConsumer', 'WaitForPodScheduled'].includes(reason)),
        ),
      ].sort(),
    };
  });
}

/** The run's exit code and, for a failed wait, what the runner said was not ready (pod hashes out). */
function outcome(run: { code: number; stdout: string }): Observation {
  const notReady = run.stdout
    .split('\n')
    .find((line) => line.includes('Not ready:'))
    ?.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, '-<hash>')
    .replace(/ [\d.]+m?s$/, '')
    .trim();
  return { exit: run.code, ...(notReady ? { notReady } : {}) };
}

const planes = ['simulated', 'real'] as const;
const seen: Record<string, Record<string, Observation>> = { simulated: {}, real: {} };

/**
 * Each scenario on both control planes, compared as an operator would see them; a difference here is
 * a place where the simulator would tell a rehearsal something a real cluster would not.
 */
describe.runIf(realControlPlaneTestsRun).each(planes)('the same scenarios on the %s control plane', (plane) => {
  const observed = seen[plane]!;
  const run = (argv: string[]) => runApp(argv, undefined, { realTime: plane === 'real' });

  it('deploy, a user logging in (WaitForFirstConsumer), a rebuild (pre-bound restore), an upgrade to an image tag the registry lacks', async () => {
    const site = await sandboxSiteCopy({ control_plane: plane });
    observed['deploy'] = { ...outcome(await run([playbook('deploy-jhub'), '-i', site])), ...(await observe(site)) };

    await onSite(site, async (kubectl) => {
      expect((await kubectl(['apply', '-f', '-'], userManifests('newcomer'))).exitCode).toBe(0);
      await until(
        kubectl,
        ['get', 'pod', 'jupyter-newcomer', '-n', 'jhub'],
        (pod) => pod.status?.phase === 'Running',
        60_000,
      );
    });
    observed['login'] = await observe(site);

    const rebuilt = await run([playbook('rebuild-cluster'), '-i', site, '--yes']);
    observed['rebuild'] = { ...outcome(rebuilt), ...(await observe(site)) };

    writeFileSync(
      `${site}/config.yaml`,
      `${readFileSync(`${site}/config.yaml`, 'utf8')}  image:\n    tag: "4.2.0-typo"\n`,
    );
    const upgraded = await run([playbook('deploy-jhub'), '-i', site, '-e', 'helm_timeout=60s']);
    observed['bad upgrade'] = { ...outcome(upgraded), pods: (await observe(site))['pods'] };
  }, 600_000);
});

/** Where the simulator still differs from the real control plane, each with the reason it is kept (sandbox/README.md lists them). */
const knownDifferences: Record<string, string> = {};

describe.runIf(realControlPlaneTestsRun)('the simulator held to the real control plane', () => {
  it('sees what the real one sees, but for the differences sandbox/README.md lists', () => {
    const differences: Record<string, { simulated: unknown; real: unknown }> = {};
    for (const [scenario, real] of Object.entries(seen.real!))
      for (const [key, value] of Object.entries(real)) {
        const simulated = seen.simulated![scenario]?.[key];
        const compare = (a: unknown, b: unknown, path: string) => {
          if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)) {
            for (const field of new Set([...Object.keys(a), ...Object.keys(b)]))
              compare((a as any)[field], (b as any)[field], `${path}.${field}`);
          } else if (JSON.stringify(a) !== JSON.stringify(b)) differences[path] = { simulated: a, real: b };
        };
        compare(simulated, value, `${scenario}.${key}`);
      }
    const unexpected = Object.fromEntries(Object.entries(differences).filter(([path]) => !(path in knownDifferences)));
    expect(unexpected).toEqual({});
    // A difference fixed in the simulator leaves the list too.
    expect(Object.keys(knownDifferences).filter((path) => !(path in differences))).toEqual([]);
  });
});
