import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../../sandbox/kube-binaries.js';
import {
  controlPlaneCredentials,
  startRealControlPlane,
  type RealControlPlane,
} from '../../../sandbox/control-plane/real-control-plane.js';
import { X509Certificate } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { controlPlane, realControlPlaneTestsRun } from '../../helpers/real-control-plane.js';
import { tempDir } from '../../helpers/temp-dir.js';

const manifests = {
  node: 'apiVersion: v1\nkind: Node\nmetadata: {name: k8s-node-1, annotations: {kwok.x-k8s.io/node: fake}, labels: {kubernetes.io/hostname: k8s-node-1}}\n',
  // A user's volume and claim as a restore brings them back: the volume reserved for the claim by name.
  volume:
    'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pvc-ada}\nspec:\n  capacity: {storage: 10Gi}\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Retain\n  storageClassName: cinder-csi\n  claimRef: {namespace: jhub, name: claim-ada}\n  csi: {driver: cinder.csi.openstack.org, volumeHandle: 11111111-2222-4333-8444-555555555555}\n',
  claim:
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim-ada, namespace: jhub}\nspec: {accessModes: [ReadWriteOnce], storageClassName: cinder-csi, volumeName: pvc-ada, resources: {requests: {storage: 10Gi}}}\n',
  pod: 'apiVersion: v1\nkind: Pod\nmetadata: {name: jupyter-ada, namespace: jhub}\nspec:\n  containers: [{name: notebook, image: quay.io/jupyterhub/k8s-singleuser-sample:4.2.0}]\n  tolerations: [{key: kwok.x-k8s.io/node, operator: Exists, effect: NoSchedule}]\n  volumes: [{name: home, persistentVolumeClaim: {claimName: claim-ada}}]\n',
};

describe.runIf(realControlPlaneTestsRun)('the real control plane', () => {
  let plane: RealControlPlane;
  let kubectl: (args: string[], input?: string) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

  beforeAll(async () => {
    if (!('found' in controlPlane)) throw new Error(controlPlane.missing);
    plane = await startRealControlPlane(controlPlane.found, await tempDir());
    const { kubectl: program } = await kubeBinaries('v33');
    kubectl = async (args, input) => {
      const result = await execa(program, ['--kubeconfig', plane.kubeconfig, ...args], {
        reject: false,
        ...(input !== undefined ? { input } : {}),
      });
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    };
  }, 180_000);
  afterAll(async () => plane?.stop());

  /** Polls until kubectl's JSON for `args` satisfies `done`. */
  async function until(args: string[], done: (json: any) => boolean, timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await kubectl([...args, '-o', 'json']);
      const json = result.exitCode === 0 ? JSON.parse(result.stdout) : undefined;
      if (json !== undefined && done(json)) return json;
      if (Date.now() > deadline) throw new Error(`${args.join(' ')}: ${result.stdout || result.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('serves the pinned release to kubectl, over TLS its kubeconfig trusts', async () => {
    const version = await kubectl(['version', '-o', 'json']);
    expect(version.exitCode, version.stderr).toBe(0);
    const { kubernetes } = 'found' in controlPlane ? controlPlane.found.versions : { kubernetes: '' };
    expect(JSON.parse(version.stdout).serverVersion.gitVersion).toBe(kubernetes);
  });

  it("gives a KWOK node, binds a restored claim to the volume reserved for it, and runs the user's server on the node", async () => {
    expect((await kubectl(['apply', '-f', '-'], manifests.node)).exitCode).toBe(0);
    await until(['get', 'node', 'k8s-node-1'], (node) =>
      (node.status?.conditions ?? []).some(
        (condition: any) => condition.type === 'Ready' && condition.status === 'True',
      ),
    );
    expect((await kubectl(['create', 'namespace', 'jhub'])).exitCode).toBe(0);
    expect((await kubectl(['apply', '-f', '-'], manifests.volume)).exitCode).toBe(0);
    expect((await kubectl(['apply', '-f', '-'], manifests.claim)).exitCode).toBe(0);
    // The real PV controller binds them: the claim to the volume it names, the volume to that claim's uid.
    const claim = await until(['get', 'pvc', 'claim-ada', '-n', 'jhub'], (json) => json.status?.phase === 'Bound');
    const volume = await until(['get', 'pv', 'pvc-ada'], (json) => json.status?.phase === 'Bound');
    expect(volume.spec.claimRef.uid).toBe(claim.metadata.uid);

    await until(['get', 'serviceaccount', 'default', '-n', 'jhub'], () => true);
    // The node lifecycle controller lifts the not-ready taint a moment after KWOK reports Ready.
    await until(['get', 'node', 'k8s-node-1'], (node) => (node.spec.taints ?? []).length === 0);
    const created = await kubectl(['apply', '-f', '-'], manifests.pod);
    expect(created.exitCode, created.stderr).toBe(0);
    const pod = await until(['get', 'pod', 'jupyter-ada', '-n', 'jhub'], (json) => json.status?.phase === 'Running');
    expect(pod.spec.nodeName).toBe('k8s-node-1');
  }, 120_000);

  it("refuses what a real API server refuses: a Bound claim's spec cannot change", async () => {
    const changed = await kubectl([
      'patch',
      'pvc',
      'claim-ada',
      '-n',
      'jhub',
      '--type',
      'merge',
      '-p',
      '{"spec":{"volumeName":"pvc-other"}}',
    ]);
    expect(changed.exitCode).not.toBe(0);
    expect(changed.stderr).toMatch(/spec is immutable after creation/);
  });
});

describe("the control plane's credentials", () => {
  it('are made once and kept, and a site made before an identity existed gets a token for it, the others unchanged', async () => {
    const dir = await tempDir();
    const first = await controlPlaneCredentials(dir);
    const again = await controlPlaneCredentials(dir);
    expect(again.caPem).toBe(first.caPem);
    expect(again.tokens).toEqual(first.tokens);

    const { kwok: _dropped, ...older } = first.tokens;
    await writeFile(`${dir}/tokens.json`, JSON.stringify(older));
    const upgraded = await controlPlaneCredentials(dir);
    expect(upgraded.tokens.admin).toBe(first.tokens.admin);
    expect(upgraded.tokens.kwok).toMatch(/^[0-9a-f]{48}$/);
    expect(await readFile(`${dir}/tokens.csv`, 'utf8')).toContain(`${upgraded.tokens.kwok},sandbox-kwok,`);
  });
});

describe('credentials a kill cut short', () => {
  it('are made again as one set: the serving certificate always verifies against the CA kept beside it', async () => {
    const dir = await tempDir();
    const first = await controlPlaneCredentials(dir);
    // A kill after the old set went and one new file was written leaves the set incomplete.
    await rm(`${dir}/sa.pub`);
    const again = await controlPlaneCredentials(dir);
    expect(again.caPem).not.toBe(first.caPem);
    const ca = new X509Certificate(await readFile(`${dir}/ca.crt`, 'utf8'));
    const serving = new X509Certificate(await readFile(`${dir}/apiserver.crt`, 'utf8'));
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(again.tokens).toEqual(first.tokens);
  });
});
