import { describe, expect, it } from 'vitest';
import { kubeSandbox, type KubeSandbox } from '../../../helpers/kube-sandbox.js';

const getJson = async (sandbox: KubeSandbox, args: string[]) =>
  JSON.parse((await sandbox.kubectl([...args, '-o', 'json'])).stdout);
// Every write kubectl made is in the store when it returns: the controllers' passes run now, not after a timer.
const settle = async (sandbox: KubeSandbox) => sandbox.server.settle();

const storageClass =
  'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: standard, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}\nprovisioner: cinder.csi.openstack.org\nreclaimPolicy: Retain\n';
const claim =
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim-ada, namespace: jhub}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n';
// What KubeSpawner starts for a user's server: a pod mounting the user's claim.
const server =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: jupyter-ada, namespace: jhub, labels: {component: singleuser-server}}\nspec:\n  containers: [{name: notebook, image: jupyter}]\n  volumes: [{name: home, persistentVolumeClaim: {claimName: claim-ada}}]\n';

/** A user whose claim is bound to a provisioned volume and, with `running`, mounted by their server. */
async function userWithServer(toolchain: 'v33' | 'v30', running = true): Promise<KubeSandbox> {
  const sandbox = await kubeSandbox(toolchain);
  await sandbox.kubectl(['create', 'namespace', 'jhub']);
  await sandbox.kubectl(['apply', '-f', '-'], storageClass);
  await sandbox.kubectl(['apply', '-f', '-'], claim);
  if (running) await sandbox.kubectl(['apply', '-f', '-'], server);
  await settle(sandbox);
  return sandbox;
}

describe.each(['v33', 'v30'] as const)('pvc and pv protection driven by the real kubectl %s', (toolchain) => {
  it('keeps a claim a running server mounts until the server is gone, then lets it go', async () => {
    const sandbox = await userWithServer(toolchain);
    expect((await getJson(sandbox, ['get', 'pod', 'jupyter-ada', '-n', 'jhub'])).status.phase).toBe('Running');
    expect((await getJson(sandbox, ['get', 'pvc', 'claim-ada', '-n', 'jhub'])).metadata.finalizers).toEqual([
      'kubernetes.io/pvc-protection',
    ]);

    expect(await sandbox.kubectl(['delete', 'pvc', 'claim-ada', '-n', 'jhub', '--wait=false'])).toMatchObject({
      exitCode: 0,
      stdout: 'persistentvolumeclaim "claim-ada" deleted',
    });
    await settle(sandbox);
    const held = await getJson(sandbox, ['get', 'pvc', 'claim-ada', '-n', 'jhub']);
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.status.phase).toBe('Bound');
    expect(
      (await sandbox.kubectl(['wait', '--for=delete', 'pvc/claim-ada', '-n', 'jhub', '--timeout=1s'])).exitCode,
    ).not.toBe(0);

    const released = sandbox.kubectl(['wait', '--for=delete', 'pvc/claim-ada', '-n', 'jhub', '--timeout=20s']);
    await sandbox.kubectl(['delete', 'pod', 'jupyter-ada', '-n', 'jhub']);
    expect(await released).toMatchObject({ exitCode: 0 });
    await settle(sandbox);
    expect(
      (await getJson(sandbox, ['get', 'pv'])).items.map((pv: { status: { phase: string } }) => pv.status.phase),
    ).toEqual(['Released']);
    expect(sandbox.server.volumes.list()).toHaveLength(1);
  });

  it('keeps a volume bound to a claim until the claim is gone', async () => {
    const sandbox = await userWithServer(toolchain, false);
    const volume = (await getJson(sandbox, ['get', 'pvc', 'claim-ada', '-n', 'jhub'])).spec.volumeName as string;
    await sandbox.kubectl(['delete', 'pv', volume, '--wait=false']);
    await settle(sandbox);
    expect((await getJson(sandbox, ['get', 'pv', volume])).metadata.deletionTimestamp).toBeDefined();
    await sandbox.kubectl(['delete', 'pvc', 'claim-ada', '-n', 'jhub']);
    await settle(sandbox);
    await settle(sandbox);
    expect((await sandbox.kubectl(['get', 'pv', volume])).stderr).toContain('not found');
  });

  it('removes a namespace whose claim a server mounts: the server, then the claim, then the namespace', async () => {
    const sandbox = await userWithServer(toolchain);
    await sandbox.kubectl(['delete', 'namespace', 'jhub', '--wait=false']);
    expect(await sandbox.kubectl(['wait', '--for=delete', 'namespace/jhub', '--timeout=15s'])).toMatchObject({
      exitCode: 0,
    });
    expect((await getJson(sandbox, ['get', 'pvc', '-A'])).items).toEqual([]);
  });
});
