import { describe, expect, it } from 'vitest';
import { toleratesNode } from '../../../../sandbox/kube/controllers/taints.js';
import { kubeSandbox } from '../../../helpers/kube-sandbox.js';
import { daemonSet, workerNodes } from '../../../helpers/workload-manifests.js';

const controlPlane = {
  metadata: { name: 'k8s-master' },
  spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
};

describe('taints and tolerations, as the scheduler filters nodes', () => {
  it('keeps a pod off a tainted node unless one toleration matches its key, value and effect', () => {
    expect(toleratesNode({}, controlPlane)).toBe(false);
    expect(
      toleratesNode(
        { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] },
        controlPlane,
      ),
    ).toBe(true);
    expect(toleratesNode({ tolerations: [{ operator: 'Exists' }] }, controlPlane)).toBe(true);
    expect(
      toleratesNode(
        { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoExecute' }] },
        controlPlane,
      ),
    ).toBe(false);
    expect(
      toleratesNode(
        { tolerations: [{ key: 'hub.jupyter.org/dedicated', operator: 'Equal', value: 'user', effect: 'NoSchedule' }] },
        controlPlane,
      ),
    ).toBe(false);
    const dedicated = {
      metadata: { name: 'user-1' },
      spec: { taints: [{ key: 'hub.jupyter.org/dedicated', value: 'user', effect: 'NoSchedule' }] },
    };
    expect(
      toleratesNode(
        { tolerations: [{ key: 'hub.jupyter.org/dedicated', operator: 'Equal', value: 'user', effect: 'NoSchedule' }] },
        dedicated,
      ),
    ).toBe(true);
    expect(
      toleratesNode(
        { tolerations: [{ key: 'hub.jupyter.org/dedicated', operator: 'Equal', value: 'core' }] },
        dedicated,
      ),
    ).toBe(false);
    // PreferNoSchedule only prefers: the filter lets the pod through.
    expect(
      toleratesNode({}, { metadata: { name: 'soft' }, spec: { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] } }),
    ).toBe(true);
  });

  it("runs a DaemonSet's pods only on the nodes its template tolerates, as the real DaemonSet controller does", async () => {
    const sandbox = await kubeSandbox('v33');
    const manifests = [
      'apiVersion: v1\nkind: Node\nmetadata: {name: k8s-master, labels: {node-role.kubernetes.io/control-plane: ""}}\nspec: {taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}\n',
      workerNodes('k8s-node-1', 'k8s-node-2'),
      daemonSet('puller', 'puller', 'registry.k8s.io/pause:3.10'),
      daemonSet(
        'everywhere',
        'everywhere',
        'registry.k8s.io/pause:3.10',
        '      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n',
      ),
    ].join('---\n');
    expect((await sandbox.kubectl(['apply', '-f', '-'], manifests)).exitCode).toBe(0);
    sandbox.server.settle();
    const pods = JSON.parse((await sandbox.kubectl(['get', 'pods', '-o', 'json'])).stdout).items;
    const nodesOf = (component: string) =>
      pods
        .filter((pod: any) => pod.metadata.labels.component === component)
        .map((pod: any) => pod.spec.nodeName)
        .sort();
    expect(nodesOf('puller')).toEqual(['k8s-node-1', 'k8s-node-2']);
    expect(nodesOf('everywhere')).toEqual(['k8s-master', 'k8s-node-1', 'k8s-node-2']);
    const set = JSON.parse((await sandbox.kubectl(['get', 'ds', 'puller', '-o', 'json'])).stdout);
    expect(set.status.desiredNumberScheduled).toBe(2);
  });
});
