import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { helmRollbackPlugin } from '../../runner/plugins/helm-rollback.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const chart = fileURLToPath(new URL('../fixtures/charts/tiny', import.meta.url));

const rollback = (revision: number | string) => `
name: back
steps:
  - name: back
    helm.rollback: {binary: "{{ helm }}", kubeconfig: "{{ kubeconfig }}", release: jhub, namespace: jhub, revision: ${revision}, timeout: 1m}
`;

describe.each(['v33', 'v30'] as const)('helm.rollback with the real helm of toolchain %s', (toolchain) => {
  it('goes back to the revision asked for once, is ok when run again, and refuses a revision helm does not keep', async () => {
    const sandbox = await kubeSandbox(toolchain, {});
    const { helm } = await kubeBinaries(toolchain);
    const vars = { helm, kubeconfig: sandbox.kubeconfig };
    for (const greeting of ['first', 'second'])
      await sandbox.helm([
        'upgrade',
        '--install',
        'jhub',
        chart,
        '-n',
        'jhub',
        '--create-namespace',
        '--set',
        `greeting=${greeting}`,
      ]);
    const greeting = async () =>
      JSON.parse((await sandbox.kubectl(['get', 'configmap', 'jhub-config', '-n', 'jhub', '-o', 'json'])).stdout).data
        .greeting;
    expect(await greeting()).toBe('second');

    const back = await runEngine(rollback(1), { dir: sandbox.dir, vars });
    expect(back.ends[0]).toMatchObject({
      status: 'changed',
      reason: 'roll jhub back from revision 2 (tiny-0.1.0, deployed) to revision 1 (tiny-0.1.0)',
    });
    expect(await greeting()).toBe('first');

    const writes = sandbox.server.mutatingRequests.length;
    const again = await runEngine(rollback(1), { dir: sandbox.dir, vars });
    expect(again.ends[0]).toMatchObject({
      status: 'ok',
      reason: 'jhub is back at revision 1: revision 3 (tiny-0.1.0, deployed), a rollback to 1',
    });
    expect(sandbox.server.mutatingRequests.length).toBe(writes);

    const missing = await runEngine(rollback(9), { dir: sandbox.dir, vars });
    expect(missing.ends[0]).toMatchObject({
      status: 'failed',
      refused: true,
      error: 'jhub has no revision 9 (helm keeps 1, 2, 3); nothing was changed',
    });
    expect(missing.runner.calls.filter((call) => call.argv.includes('rollback'))).toEqual([]);
  });
});

const entry = (revision: number, status: string, description = 'Upgrade complete') => ({
  revision,
  status,
  chart: `jupyterhub-${revision < 3 ? '4.2.0' : '5.0.0'}`,
  description,
});

describe('helm.rollback plan', () => {
  it('without a revision, goes back past a failed upgrade to the last revision that deployed, and does nothing once the newest did', () => {
    const failed = [entry(1, 'superseded'), entry(2, 'deployed'), entry(3, 'failed')];
    expect(helmRollbackPlugin.plan({ release: 'jhub', namespace: 'jhub' }, failed)).toMatchObject({
      change: 'update',
      reason: 'roll jhub back from revision 3 (jupyterhub-5.0.0, failed) to revision 2 (jupyterhub-4.2.0)',
      actions: [{ argv: ['helm', 'rollback', 'jhub', '2', '--namespace', 'jhub', '--wait', '--timeout', '10m'] }],
    });
    const back = [...failed, entry(4, 'deployed', 'Rollback to 2')];
    expect(helmRollbackPlugin.plan({ release: 'jhub', namespace: 'jhub', revision: 0 }, back)).toMatchObject({
      change: 'none',
      reason:
        "jhub's newest revision 4 (jupyterhub-5.0.0) is deployed: nothing to roll back (-e revision=N goes back to an earlier one)",
    });
    expect(() => helmRollbackPlugin.plan({ release: 'jhub', namespace: 'jhub' }, [entry(1, 'failed')])).toThrow(
      'jhub has no earlier revision that deployed to go back to (revision 1 (jupyterhub-4.2.0, failed)); nothing was changed',
    );
  });

  it('says a release that is not installed has nothing to roll back', () => {
    expect(() => helmRollbackPlugin.plan({ release: 'jhub', namespace: 'jhub', revision: 1 }, [])).toThrow(
      'jhub is not installed in jhub: there is nothing to roll back',
    );
  });
});
