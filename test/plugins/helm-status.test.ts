import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const chart = fileURLToPath(new URL('../fixtures/charts/tiny', import.meta.url));

// The status read, then used by a later step's `when`, as a playbook would.
const playbook = `
name: status
steps:
  - name: read the release
    helm.status: {binary: "{{ helm }}", kubeconfig: "{{ kubeconfig }}", release: jhub, namespace: jhub}
    register: hub
  - name: only when deployed
    command: {argv: [echo, "{{ hub.chart_version }} r{{ hub.revision }}"]}
    when: hub.installed and hub.release_status == 'deployed'
`;

describe.each(['v33', 'v30'] as const)('helm.status with the real helm of toolchain %s', (toolchain) => {
  it("registers an installed release's status, revision and chart version for later steps, and changes nothing", async () => {
    const sandbox = await kubeSandbox(toolchain);
    expect(
      (await sandbox.helm(['upgrade', '--install', 'jhub', chart, '-n', 'jhub', '--create-namespace'])).exitCode,
    ).toBe(0);
    expect((await sandbox.helm(['upgrade', 'jhub', chart, '-n', 'jhub'])).exitCode).toBe(0);
    const { helm } = await kubeBinaries(toolchain);
    const writes = sandbox.server.mutatingRequests.length;
    const run = await runEngine(playbook, { dir: sandbox.dir, vars: { helm, kubeconfig: sandbox.kubeconfig } });
    expect(run.ends[0]).toMatchObject({ status: 'ok', reason: 'jhub: deployed, revision 2, tiny-0.1.0' });
    expect(run.ends[1], JSON.stringify(run.ends[1])).toMatchObject({ status: 'changed' });
    expect(run.runner.calls.at(-1)!.argv).toEqual(['echo', '0.1.0 r2']);
    expect(sandbox.server.mutatingRequests.length).toBe(writes);
  });

  it('says a release is not installed, and later steps can tell', async () => {
    const sandbox = await kubeSandbox(toolchain);
    const { helm } = await kubeBinaries(toolchain);
    const run = await runEngine(playbook, { dir: sandbox.dir, vars: { helm, kubeconfig: sandbox.kubeconfig } });
    expect(run.ends.map((end) => [end.status, end.reason])).toEqual([
      ['ok', 'jhub is not installed in jhub'],
      ['skipped', expect.stringContaining('when')],
    ]);
  });

  it('runs nothing in a dry run, and says the status is read at run time', async () => {
    const run = await runEngine(playbook, { mode: 'dry-run', vars: { helm: 'helm', kubeconfig: '/nowhere' } });
    expect(run.ends[0]).toMatchObject({ reason: 'read the status of jhub in jhub at run time' });
    expect(run.runner.calls).toEqual([]);
  });
});
