import { describe, expect, it } from 'vitest';
import { explainNotReady } from '../../../runner/plugins/kube/not-ready.js';
import { fakeProbeIO } from '../../helpers/fake-probe-io.js';

const objects = {
  items: [
    {
      kind: 'Service',
      metadata: { name: 'proxy-public' },
      spec: { type: 'LoadBalancer' },
      status: { loadBalancer: {} },
    },
    { kind: 'Service', metadata: { name: 'hub' }, spec: { type: 'ClusterIP' } },
    {
      kind: 'Pod',
      metadata: { name: 'hub-abc' },
      status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff' } } }] },
    },
    {
      kind: 'Pod',
      metadata: { name: 'continuous-image-puller-x1' },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { state: { waiting: { reason: 'ImagePullBackOff' } } },
        ],
        containerStatuses: [{ state: { waiting: { reason: 'PodInitializing' } } }],
      },
    },
    {
      kind: 'Pod',
      metadata: { name: 'proxy-def' },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    },
    { kind: 'PersistentVolumeClaim', metadata: { name: 'hub-db-dir' }, status: { phase: 'Pending' } },
    {
      kind: 'Job',
      metadata: { name: 'hook-image-awaiter' },
      status: {
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      },
    },
    { kind: 'Job', metadata: { name: 'done' }, status: { conditions: [{ type: 'Complete', status: 'True' }] } },
  ],
};
const events = {
  items: [
    {
      type: 'Warning',
      reason: 'Failed',
      message: 'Failed to pull image "jupyterhub/k8s-hub:0.0.0": not found',
      involvedObject: { kind: 'Pod', name: 'hub-abc' },
      lastTimestamp: '2026-12-02T10:00:02Z',
    },
    {
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off pulling image "jupyterhub/k8s-hub:0.0.0"',
      involvedObject: { kind: 'Pod', name: 'hub-abc' },
      lastTimestamp: '2026-12-02T10:00:09Z',
    },
    {
      type: 'Normal',
      reason: 'Scheduled',
      message: 'assigned',
      involvedObject: { kind: 'Pod', name: 'hub-abc' },
      lastTimestamp: '2026-12-02T10:00:10Z',
    },
  ],
};

describe('explainNotReady', () => {
  it('names the Service without an address, the pod with its waiting reason and last warning, the Pending claim and the failed Job', async () => {
    const calls: string[][] = [];
    const io = fakeProbeIO({
      run: async (argv) =>
        (calls.push(argv),
        { exitCode: 0, stdout: JSON.stringify(argv.includes('events') ? events : objects), stderr: '' }) as any,
    });
    const lines = await explainNotReady(io, ['kubectl', '--kubeconfig', 'k'], 'jhub');
    expect(lines).toEqual([
      expect.stringMatching(/^Service proxy-public is type LoadBalancer and has no external address yet/),
      'Pod hub-abc is not ready (Pending, ImagePullBackOff): BackOff: Back-off pulling image "jupyterhub/k8s-hub:0.0.0"',
      // The init container that cannot pull is the reason, not the containers it holds at PodInitializing.
      'Pod continuous-image-puller-x1 is not ready (Pending, Init:ImagePullBackOff)',
      'claim hub-db-dir is Pending',
      'Job hook-image-awaiter failed (BackoffLimitExceeded): Job has reached the specified backoff limit',
    ]);
    expect(calls).toContainEqual([
      'kubectl',
      '--kubeconfig',
      'k',
      'get',
      'services,pods,persistentvolumeclaims,jobs',
      '--namespace',
      'jhub',
      '--output',
      'json',
    ]);
  });

  it('says nothing when the cluster cannot be read', async () => {
    const io = fakeProbeIO({ run: async () => ({ exitCode: 1, stdout: '', stderr: 'connection refused' }) as any });
    expect(await explainNotReady(io, ['kubectl'], 'jhub')).toEqual([]);
  });
});
