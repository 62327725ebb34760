import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const chart = fileURLToPath(new URL('../fixtures/charts/tiny', import.meta.url));

const playbook = `
name: remove
steps:
  - name: uninstall
    helm.uninstall:
      binary: "{{ helm }}"
      kubeconfig: "{{ kubeconfig }}"
      release: jhub
      namespace: jhub
      timeout: 1m
`;

describe.each(['v33', 'v30'] as const)('helm.uninstall with the real helm of toolchain %s', (toolchain) => {
  it('uninstalls, keeps the namespace, and is ok when the release is absent', async () => {
    const sandbox = await kubeSandbox(toolchain);
    expect(
      (await sandbox.helm(['upgrade', '--install', 'jhub', chart, '-n', 'jhub', '--create-namespace'])).exitCode,
    ).toBe(0);
    const { helm } = await kubeBinaries(toolchain);
    const vars = { helm, kubeconfig: sandbox.kubeconfig };
    const first = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(first.ends[0]).toMatchObject({
      status: 'changed',
      reason: 'uninstall jhub (tiny-0.1.0, revision 1, deployed)',
    });
    expect(JSON.parse((await sandbox.helm(['list', '-n', 'jhub', '-o', 'json'])).stdout)).toEqual([]);
    expect((await sandbox.kubectl(['get', 'namespace', 'jhub'])).exitCode).toBe(0);
    const second = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(second.ends[0]).toMatchObject({ status: 'ok', reason: 'jhub is not installed in jhub' });
  });

  it("fails with helm's own message when the cluster cannot be reached", async () => {
    const sandbox = await kubeSandbox(toolchain);
    const { helm } = await kubeBinaries(toolchain);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      `${sandbox.dir}/unreachable`,
      (await import('node:fs')).readFileSync(sandbox.kubeconfig, 'utf8').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:9'),
    );
    const run = await runEngine(playbook, {
      dir: sandbox.dir,
      vars: { helm, kubeconfig: `${sandbox.dir}/unreachable` },
    });
    expect(run.ends[0]!.status).toBe('failed');
    expect(run.ends[0]!.error).toMatch(/^helm list failed: .*connection refused/s);
  });
});
