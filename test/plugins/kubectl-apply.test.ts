import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { kubectlApplyPlugin } from '../../runner/plugins/kubectl-apply.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const manifests = (value: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: jhub
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hub-extra
  namespace: jhub
data:
  value: "${value}"
`;

const filePlaybook = `
name: apply
steps:
  - name: apply files
    kubectl.apply:
      binary: "{{ kubectl }}"
      kubeconfig: "{{ kubeconfig }}"
      files: ["{{ dir }}/m.yaml"]
`;

describe.each(['v33', 'v30'] as const)('kubectl.apply with the real kubectl of toolchain %s', (toolchain) => {
  it('applies when kubectl diff finds a difference, shows it, and is ok once converged', async () => {
    const sandbox = await kubeSandbox(toolchain, { 'm.yaml': manifests('1') });
    await sandbox.kubectl(['apply', '-f', '-'], manifests('1').split('---\n')[0]);
    const { kubectl } = await kubeBinaries(toolchain);
    const vars = { kubectl, kubeconfig: sandbox.kubeconfig };
    const first = await runEngine(filePlaybook, { dir: sandbox.dir, vars });
    expect(first.ends[0]).toMatchObject({ status: 'changed', reason: `apply ${sandbox.dir}/m.yaml` });
    const plan = first.events.find((event) => event.type === 'step:plan') as { diffs: { patch: string }[] };
    expect(plan.diffs[0]!.patch).toMatch(/^\+\s+value: "1"$/m);
    const writes = sandbox.server.mutatingRequests.length;
    const second = await runEngine(filePlaybook, { dir: sandbox.dir, vars });
    expect(second.ends[0]).toMatchObject({ status: 'ok', reason: `${sandbox.dir}/m.yaml: no differences` });
    expect(sandbox.server.mutatingRequests.length).toBe(writes);
  });

  it("applies inline manifests on stdin, and reports kubectl's error when the namespace is missing", async () => {
    const sandbox = await kubeSandbox(toolchain);
    const { kubectl } = await kubeBinaries(toolchain);
    const inline = `
name: inline
steps:
  - name: apply inline
    kubectl.apply:
      binary: "{{ kubectl }}"
      kubeconfig: "{{ kubeconfig }}"
      manifest:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: flags, namespace: nowhere}
        data: {enabled: "yes"}
`;
    const run = await runEngine(inline, { dir: sandbox.dir, vars: { kubectl, kubeconfig: sandbox.kubeconfig } });
    expect(run.ends[0]!.status).toBe('failed');
    expect(run.ends[0]!.error).toBe(
      'kubectl diff failed (exit 2): Error from server (NotFound): namespaces "nowhere" not found',
    );
    await sandbox.kubectl(['create', 'namespace', 'nowhere']);
    const applied = await runEngine(inline, { dir: sandbox.dir, vars: { kubectl, kubeconfig: sandbox.kubeconfig } });
    expect(applied.ends[0]!.status).toBe('changed');
    expect(
      JSON.parse((await sandbox.kubectl(['get', 'cm', 'flags', '-n', 'nowhere', '-o', 'json'])).stdout).data,
    ).toEqual({ enabled: 'yes' });
  });
});

describe('kubectl.apply plan', () => {
  it('turns kubectl diff exit codes into a change kind', () => {
    const args = { files: ['m.yaml'], kubeconfig: 'kc', context: 'site', namespace: 'jhub' };
    expect(kubectlApplyPlugin.plan(args, { exitCode: 0, stdout: '', stderr: '' })).toMatchObject({
      change: 'none',
      reason: 'm.yaml: no differences',
    });
    expect(kubectlApplyPlugin.plan(args, { exitCode: 1, stdout: '+x', stderr: '' }).actions).toEqual([
      {
        kind: 'exec',
        argv: ['kubectl', '--kubeconfig', 'kc', '--context', 'site', '--namespace', 'jhub', 'apply', '-f', 'm.yaml'],
      },
    ]);
    expect(() =>
      kubectlApplyPlugin.plan(args, { exitCode: 2, stdout: '', stderr: 'error: the server has asked for credentials' }),
    ).toThrow('kubectl diff failed (exit 2): error: the server has asked for credentials');
  });
});
