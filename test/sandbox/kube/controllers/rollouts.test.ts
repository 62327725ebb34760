import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../../helpers/kube-sandbox.js';
import { daemonSet, workerNodes } from '../../../helpers/workload-manifests.js';

const workloads = (tag: string) => `${workerNodes('k8s-node-1', 'k8s-node-2')}---
${daemonSet('continuous-image-puller', 'puller', `registry.k8s.io/pause:${tag}`)}---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: user-placeholder, namespace: default}
spec:
  replicas: 2
  serviceName: user-placeholder
  selector: {matchLabels: {component: placeholder}}
  template:
    metadata: {labels: {component: placeholder}}
    spec: {containers: [{name: pause, image: "registry.k8s.io/pause:${tag}"}]}
`;

describe('DaemonSet and StatefulSet updates, as their rolling updates do', () => {
  it('replace every pod of an older template; with an image the registry lacks the new pods back off and the sets report them not ready', async () => {
    const sandbox = await kubeSandbox('v33', {}, { imageAvailable: (image) => !image.endsWith('-typo') });
    expect((await sandbox.kubectl(['apply', '-f', '-'], workloads('3.10'))).exitCode).toBe(0);
    sandbox.server.settle();
    const pods = async () => JSON.parse((await sandbox.kubectl(['get', 'pods', '-o', 'json'])).stdout).items;
    const before = await pods();
    expect(before).toHaveLength(4);
    expect(
      before
        .filter((pod: any) => pod.metadata.name.startsWith('user-placeholder-'))
        .map((pod: any) => pod.metadata.name)
        .sort(),
    ).toEqual(['user-placeholder-0', 'user-placeholder-1']);

    expect((await sandbox.kubectl(['apply', '-f', '-'], workloads('3.10-typo'))).exitCode).toBe(0);
    sandbox.server.settle();
    const after = await pods();
    expect(after).toHaveLength(4);
    for (const pod of after) {
      expect(pod.spec.containers[0].image).toBe('registry.k8s.io/pause:3.10-typo');
      expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('ImagePullBackOff');
    }
    // The DaemonSet's pods are new ones, one on each node; the StatefulSet's keep their ordinal names.
    const oldUids = new Set(before.map((pod: any) => pod.metadata.uid));
    expect(after.some((pod: any) => oldUids.has(pod.metadata.uid))).toBe(false);
    expect(
      after
        .filter((pod: any) => pod.metadata.labels.component === 'puller')
        .map((pod: any) => pod.spec.nodeName)
        .sort(),
    ).toEqual(['k8s-node-1', 'k8s-node-2']);
    const set = JSON.parse((await sandbox.kubectl(['get', 'ds', 'continuous-image-puller', '-o', 'json'])).stdout);
    expect(set.status).toMatchObject({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberReady: 0 });
    const stateful = JSON.parse((await sandbox.kubectl(['get', 'sts', 'user-placeholder', '-o', 'json'])).stdout);
    expect(stateful.status.readyReplicas).toBe(0);
    const rollout = await sandbox.kubectl(['rollout', 'status', 'ds/continuous-image-puller', '--timeout=1s']);
    expect(rollout.exitCode).not.toBe(0);
  });
});
