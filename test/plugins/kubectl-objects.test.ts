import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const seed = `apiVersion: v1
kind: Namespace
metadata:
  name: jhub
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-1111
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Delete
  storageClassName: standard
  cinder: {volumeID: 443e9696-034e-4739-929b-fa5e19ad8c2f}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: leftover
  namespace: jhub
`;

const step = (plugin: string, body: string) => `
name: objects
steps:
  - name: step
    register: out
    ${plugin}:
      binary: "{{ kubectl }}"
      kubeconfig: "{{ kubeconfig }}"
${body
  .trim()
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
`;

async function site(toolchain: 'v33' | 'v30') {
  const sandbox = await kubeSandbox(toolchain, { 'seed.yaml': seed });
  expect((await sandbox.kubectl(['apply', '-f', 'seed.yaml'])).exitCode).toBe(0);
  const { kubectl } = await kubeBinaries(toolchain);
  return { sandbox, vars: { kubectl, kubeconfig: sandbox.kubeconfig } };
}

describe.each(['v33', 'v30'] as const)('kubectl object plugins with the real kubectl of toolchain %s', (toolchain) => {
  it('kubectl.get registers objects and saves them as a List once', async () => {
    const { sandbox, vars } = await site(toolchain);
    const playbook = step('kubectl.get', `kind: pv\ndest: "{{ dir }}/backup/pv.yaml"`);
    const first = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(first.ends[0]).toMatchObject({
      status: 'changed',
      reason: `save 1 object(s) (pv) to ${sandbox.dir}/backup/pv.yaml`,
    });
    const saved = parse(readFileSync(`${sandbox.dir}/backup/pv.yaml`, 'utf8'));
    expect(saved.kind).toBe('List');
    expect(saved.items[0].spec.cinder.volumeID).toBe('443e9696-034e-4739-929b-fa5e19ad8c2f');
    const second = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(second.ends[0]).toMatchObject({ status: 'ok' });
  });

  it('kubectl.patch changes once, then is ok with no write request', async () => {
    const { sandbox, vars } = await site(toolchain);
    const playbook = step(
      'kubectl.patch',
      'kind: pv\nname: pvc-1111\npatch: {spec: {persistentVolumeReclaimPolicy: Retain}}',
    );
    const first = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(first.ends[0]).toMatchObject({ status: 'changed', reason: 'patch pv/pvc-1111' });
    const plan = first.events.find((event) => event.type === 'step:plan') as {
      diffs: { before: string; after: string }[];
    };
    expect(plan.diffs[0]!.before).toContain('persistentVolumeReclaimPolicy: Delete');
    expect(plan.diffs[0]!.after).toContain('persistentVolumeReclaimPolicy: Retain');
    const writes = sandbox.server.mutatingRequests.length;
    const second = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(second.ends[0]).toMatchObject({ status: 'ok', reason: 'pv/pvc-1111 already as patched' });
    expect(sandbox.server.mutatingRequests.length).toBe(writes);
  });

  it('kubectl.delete deletes what exists and is ok when nothing does', async () => {
    const { sandbox, vars } = await site(toolchain);
    const playbook = step('kubectl.delete', 'kind: configmap\nname: leftover\nnamespace: jhub\ntimeout: 30s');
    const first = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(first.ends[0]).toMatchObject({ status: 'changed', reason: 'delete ConfigMap/leftover' });
    const second = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(second.ends[0]).toMatchObject({ status: 'ok', reason: 'nothing to delete: configmap/leftover in jhub' });
  });

  it("kubectl.patch and kubectl.delete fail with kubectl's own message", async () => {
    const { sandbox, vars } = await site(toolchain);
    const patch = await runEngine(
      step('kubectl.patch', 'kind: pv\nname: missing\npatch: {spec: {persistentVolumeReclaimPolicy: Retain}}'),
      { dir: sandbox.dir, vars },
    );
    expect(patch.ends[0]).toMatchObject({
      status: 'failed',
      error: 'kubectl get failed: Error from server (NotFound): persistentvolumes "missing" not found',
    });
    const remove = await runEngine(step('kubectl.delete', 'kind: nosuchkind\nname: x'), { dir: sandbox.dir, vars });
    expect(remove.ends[0]!.status).toBe('failed');
    expect(remove.ends[0]!.error).toContain(
      'kubectl get failed: error: the server doesn\'t have a resource type "nosuchkind"',
    );
  });

  it('kubectl.wait for a rollout polls until kubectl says it rolled out', async () => {
    const { sandbox, vars } = await site(toolchain);
    // The pod mounts a claim that binds only later, so the rollout waits for it as on a real cluster.
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: hub, namespace: jhub}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: hub}}\n  template:\n    metadata: {labels: {app: hub}}\n    spec: {containers: [{name: hub, image: hub}], volumes: [{name: db, persistentVolumeClaim: {claimName: hub-db-dir}}]}\n';
    expect((await sandbox.kubectl(['apply', '-f', '-'], deployment)).exitCode).toBe(0);
    const playbook = step(
      'kubectl.wait',
      'kind: deployment\nname: hub\nnamespace: jhub\nfor: rollout\ntimeout: 20\ninterval: 1',
    );
    const volume =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: db}\nspec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], cinder: {volumeID: v1}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: hub-db-dir, namespace: jhub}\nspec: {volumeName: db, accessModes: [ReadWriteOnce], storageClassName: "", resources: {requests: {storage: 1Gi}}}\n';
    let bound = false;
    // The claim and its volume come once the first poll has found the rollout waiting: the step must poll again.
    const sleep = async (ms: number) => {
      if (!bound) {
        bound = true;
        expect((await sandbox.kubectl(['apply', '-f', '-'], volume)).exitCode).toBe(0);
      }
      await new Promise((resolve) => setTimeout(resolve, ms));
    };
    const run = await runEngine(playbook, { dir: sandbox.dir, vars, sleep });
    expect(run.ends[0]).toMatchObject({ status: 'ok', reason: 'deployment "hub" successfully rolled out' });
    expect(run.events.filter((event) => event.type === 'step:retry').length).toBeGreaterThan(0);
  });

  it('kubectl.delete of a kind the cluster does not serve fails, unless if_kind_served says there is then nothing to delete', async () => {
    const { sandbox, vars } = await site(toolchain);
    const strict = await runEngine(step('kubectl.delete', 'kind: certificate\nname: cert-secret\nnamespace: jhub'), {
      dir: sandbox.dir,
      vars,
    });
    expect(strict.ends[0]!.status).toBe('failed');
    expect(strict.ends[0]!.error).toMatch(/doesn't have a resource type "certificate"/);
    const lenient = await runEngine(
      step('kubectl.delete', 'kind: certificate\nname: cert-secret\nnamespace: jhub\nif_kind_served: true'),
      { dir: sandbox.dir, vars },
    );
    expect(lenient.ends[0]).toMatchObject({
      status: 'ok',
      reason: 'nothing to delete: certificate/cert-secret in jhub',
    });
    // A kind it does serve is still deleted.
    const served = await runEngine(
      step('kubectl.delete', 'kind: configmap\nname: leftover\nnamespace: jhub\nif_kind_served: true\nwait: false'),
      { dir: sandbox.dir, vars },
    );
    expect(served.ends[0]!.status).toBe('changed');
  });

  it('kubectl.wait is ok when the condition holds and polls until it does', async () => {
    const { sandbox, vars } = await site(toolchain);
    const active = await runEngine(
      step('kubectl.wait', 'kind: namespace\nname: jhub\nfor: jsonpath={.status.phase}=Active\ntimeout: 5'),
      { dir: sandbox.dir, vars },
    );
    expect(active.ends[0]).toMatchObject({
      status: 'ok',
      reason: 'namespace/jhub meets jsonpath={.status.phase}=Active',
    });
    const every = await runEngine(
      step('kubectl.wait', 'kind: namespace\nfor: jsonpath={.status.phase}=Active\ntimeout: 5'),
      { dir: sandbox.dir, vars },
    );
    expect(every.ends[0]).toMatchObject({ status: 'ok', reason: 'namespace all meet jsonpath={.status.phase}=Active' });
    await sandbox.kubectl(['delete', 'namespace', 'jhub', '--wait=false']);
    const sleepy = { dir: sandbox.dir, vars, realSleep: true };
    const gone = await runEngine(
      step('kubectl.wait', 'kind: namespace\nname: jhub\nfor: delete\ntimeout: 20\ninterval: 1'),
      sleepy,
    );
    expect(gone.ends[0]!.status).toBe('ok');
  });
});
