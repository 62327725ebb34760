import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../../helpers/kube-sandbox.js';

const job = (name: string, image: string) => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}, namespace: default}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: awaiter, image: ${image}}]
`;

describe('Jobs, as the Job controller runs them', () => {
  it("run a pod from their template, which completes, and the Job with it, with the controller's events", async () => {
    const sandbox = await kubeSandbox('v33', {}, { imageAvailable: (image) => !image.endsWith('-typo') });
    expect(
      (
        await sandbox.kubectl(
          ['apply', '-f', '-'],
          job('hook-image-awaiter', 'quay.io/jupyterhub/k8s-image-awaiter:4.2.0'),
        )
      ).exitCode,
    ).toBe(0);
    sandbox.server.settle();
    const done = JSON.parse((await sandbox.kubectl(['get', 'job', 'hook-image-awaiter', '-o', 'json'])).stdout);
    expect(done.status.succeeded).toBe(1);
    expect(done.status.conditions.map((condition: any) => condition.type)).toContain('Complete');
    const pods = JSON.parse((await sandbox.kubectl(['get', 'pods', '-o', 'json'])).stdout).items;
    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.name).toMatch(/^hook-image-awaiter-[a-z0-9]{5}$/);
    expect(pods[0].metadata.ownerReferences[0]).toMatchObject({
      kind: 'Job',
      name: 'hook-image-awaiter',
      controller: true,
    });
    expect(pods[0].status.phase).toBe('Succeeded');
    expect(pods[0].status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const events = JSON.parse((await sandbox.kubectl(['get', 'events', '-o', 'json'])).stdout).items;
    expect(
      events
        .filter((event: any) => event.involvedObject.kind === 'Job')
        .map((event: any) => event.reason)
        .sort(),
    ).toEqual(['Completed', 'SuccessfulCreate']);

    // Deleting the Job (as helm's hook-succeeded policy does) takes its pod with it.
    expect((await sandbox.kubectl(['delete', 'job', 'hook-image-awaiter'])).exitCode).toBe(0);
    sandbox.server.settle();
    expect(JSON.parse((await sandbox.kubectl(['get', 'pods', '-o', 'json'])).stdout).items).toEqual([]);
  });

  it('stay active while their pod cannot pull its image, as a hook with a mistyped image holds helm on a real cluster', async () => {
    const sandbox = await kubeSandbox('v33', {}, { imageAvailable: (image) => !image.endsWith('-typo') });
    expect(
      (await sandbox.kubectl(['apply', '-f', '-'], job('stuck', 'quay.io/jupyterhub/k8s-image-awaiter:4.2.0-typo')))
        .exitCode,
    ).toBe(0);
    sandbox.server.settle();
    const stuck = JSON.parse((await sandbox.kubectl(['get', 'job', 'stuck', '-o', 'json'])).stdout);
    expect(stuck.status.active).toBe(1);
    expect(stuck.status.conditions).toBeUndefined();
    const pod = JSON.parse((await sandbox.kubectl(['get', 'pods', '-o', 'json'])).stdout).items[0];
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('ImagePullBackOff');
  });
});
