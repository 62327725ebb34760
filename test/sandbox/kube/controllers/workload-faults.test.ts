import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../../helpers/kube-sandbox.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: hub, namespace: default}
spec:
  selector: {matchLabels: {app: hub}}
  template:
    metadata: {labels: {app: hub}}
    spec:
      containers:
        - name: hub
          image: hub:1
          ports: [{name: http, containerPort: 8081}]
          readinessProbe: {httpGet: {path: /hub/health, port: http}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: default}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers: [{name: worker, image: worker:1}]
`;

const job = (name: string) => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}, namespace: default}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pull, image: "puller:1"}]
`;

const workloads = { jobMs: 3000, notReady: ['hub', 'worker'], failingJobs: ['broken'] };

describe('workloads the site makes fail or take time, seen through the real kubectl', () => {
  it("a named Deployment with a readiness probe runs and never becomes ready, with the kubelet's Unhealthy event; one without crash-loops", async () => {
    const sandbox = await kubeSandbox('v33', { 'd.yaml': deployment }, { workloads });
    expect((await sandbox.kubectl(['apply', '-f', 'd.yaml'])).exitCode).toBe(0);
    const rollout = await sandbox.kubectl(['rollout', 'status', 'deployment/hub', '--timeout=2s']);
    expect(rollout.exitCode).toBe(1);
    expect(rollout.stderr).toContain('timed out waiting for the condition');
    const pods = (await sandbox.kubectl(['get', 'pods', '-l', 'app in (hub,worker)'])).stdout;
    expect(pods).toMatch(/^hub-\S+\s+0\/1\s+Running\s+0\s/m);
    expect(pods).toMatch(/^worker-\S+\s+0\/1\s+CrashLoopBackOff\s+5\s/m);
    const events = (await sandbox.kubectl(['get', 'events', '-o', 'json'])).stdout;
    expect(events).toMatch(
      /"message": "Readiness probe failed: Get \\"http:\/\/10\.233\.64\.\d+:8081\/hub\/health\\": dial tcp 10\.233\.64\.\d+:8081: connect: connection refused"/,
    );
    expect(events).toContain('"reason": "BackOff"');
  });

  it("a Job runs for the site's job_seconds before it completes, and a named one fails at its backoff limit", async () => {
    const sandbox = await kubeSandbox('v33', { 'ok.yaml': job('pull'), 'broken.yaml': job('broken') }, { workloads });
    expect((await sandbox.kubectl(['apply', '-f', 'ok.yaml', '-f', 'broken.yaml'])).exitCode).toBe(0);
    const running = JSON.parse((await sandbox.kubectl(['get', 'job', 'pull', '-o', 'json'])).stdout);
    expect(running.status).toMatchObject({ active: 1 });
    expect(running.status.conditions).toBeUndefined();
    expect((await sandbox.kubectl(['wait', '--for=condition=complete', 'job/pull', '--timeout=30s'])).exitCode).toBe(0);
    expect((await sandbox.kubectl(['wait', '--for=condition=failed', 'job/broken', '--timeout=30s'])).exitCode).toBe(0);
    const broken = JSON.parse((await sandbox.kubectl(['get', 'job', 'broken', '-o', 'json'])).stdout);
    expect(broken.status).toMatchObject({ failed: 7 });
    expect(
      (await sandbox.kubectl(['get', 'events', '--field-selector', 'reason=BackoffLimitExceeded', '-o', 'name']))
        .stdout,
    ).not.toBe('');
  });
});
