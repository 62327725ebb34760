import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../helpers/kube-sandbox.js';

const workloads = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres
          ports: [{containerPort: 5432}]
          readinessProbe: {httpGet: {port: 5432}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: hub, namespace: default}
spec:
  selector: {matchLabels: {app: hub}}
  template:
    metadata: {labels: {app: hub}}
    spec:
      containers: [{name: hub, image: "quay.io/jupyterhub/k8s-hub:4.2.0"}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: pull, namespace: default}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pull, image: "busybox:latest"}]
`;

const get = async (sandbox: Awaited<ReturnType<typeof kubeSandbox>>, kind: string, name: string) =>
  JSON.parse((await sandbox.kubectl(['get', kind, name, '-o', 'json'])).stdout);

describe('server defaults for workloads, as the apps/v1, batch/v1 and core/v1 defaulting functions set them', () => {
  it('fills update strategies, replica counts, pod and container defaults that kubectl and helm read back', async () => {
    const sandbox = await kubeSandbox('v30', { 'w.yaml': workloads });
    expect((await sandbox.kubectl(['apply', '-f', 'w.yaml'])).exitCode).toBe(0);
    const db = await get(sandbox, 'statefulset', 'db');
    expect(db.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(db.spec.template.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
    });
    expect(db.spec.template.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      ports: [{ containerPort: 5432, protocol: 'TCP' }],
      readinessProbe: {
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
        httpGet: { path: '/', scheme: 'HTTP' },
      },
    });
    const hub = await get(sandbox, 'deployment', 'hub');
    expect(hub.spec).toMatchObject({
      replicas: 1,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(hub.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    const job = await get(sandbox, 'job', 'pull');
    expect(job.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
    });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('keeps them through an apply that leaves them out, so a second apply changes nothing', async () => {
    const sandbox = await kubeSandbox('v33', { 'w.yaml': workloads });
    expect((await sandbox.kubectl(['apply', '--server-side', '-f', 'w.yaml'])).exitCode).toBe(0);
    const before = await get(sandbox, 'deployment', 'hub');
    expect((await sandbox.kubectl(['diff', '--server-side', '-f', 'w.yaml'])).exitCode).toBe(0);
    expect((await sandbox.kubectl(['apply', '-f', 'w.yaml', '--server-side'])).exitCode).toBe(0);
    const after = await get(sandbox, 'deployment', 'hub');
    expect(after.spec.strategy.type).toBe('RollingUpdate');
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });
});
