import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubeSandbox, type KubeSandbox } from '../../../helpers/kube-sandbox.js';

const fixture = (name: string) => parse(readFileSync(new URL(`../../../fixtures/pv-restore/${name}`, import.meta.url), 'utf8')) as { items: any[] };
const serverFields = ({ uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, selfLink: _sl, managedFields: _mf, ...metadata }: any) => metadata;
// A kind: List makes kubectl validate through OpenAPI v2, which the simulator does not serve; the items go as a stream.
const stream = (objects: object[]) => objects.map((object) => stringify(object, { version: '1.1' })).join('---\n');

/** The seed's restore edits: user volumes only, Retain, claimRef removed (or kept, to show why it must go). */
function restoreFiles(keepClaimRef: boolean): { pv: string; pvc: string } {
  const pvs = fixture('pv-intree.yaml').items
    .filter((pv) => pv.spec.claimRef.name !== 'hub-db-dir')
    .map(({ status: _status, ...pv }) => {
      const { claimRef, ...spec } = pv.spec;
      return { ...pv, metadata: serverFields(pv.metadata), spec: { ...spec, persistentVolumeReclaimPolicy: 'Retain', ...(keepClaimRef ? { claimRef } : {}) } };
    });
  const pvcs = fixture('pvc-intree.yaml').items
    .filter((pvc) => pvc.metadata.name !== 'hub-db-dir')
    .map(({ status: _status, ...pvc }) => ({ ...pvc, metadata: serverFields(pvc.metadata) }));
  return { pv: stream(pvs), pvc: stream(pvcs) };
}

const getJson = async (sandbox: KubeSandbox, args: string[]) => JSON.parse((await sandbox.kubectl([...args, '-o', 'json'])).stdout);
const settle = async (sandbox: KubeSandbox) => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  sandbox.server.settle();
};

const storageClass = (reclaimPolicy: string) =>
  `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: standard, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}\nprovisioner: cinder.csi.openstack.org\nreclaimPolicy: ${reclaimPolicy}\n`;
const claim = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim-ada, namespace: jhub}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n';

describe.each(['v33', 'v30'] as const)('volume controllers driven by the real kubectl %s', (toolchain) => {
  it('restores PVs then PVCs from the fixtures: each claim binds to its original volume', async () => {
    const files = restoreFiles(false);
    const sandbox = await kubeSandbox(toolchain, { 'pv.yaml': files.pv, 'pvc.yaml': files.pvc });
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    expect((await sandbox.kubectl(['apply', '-f', 'pv.yaml'])).exitCode).toBe(0);
    await settle(sandbox);
    expect((await getJson(sandbox, ['get', 'pv'])).items.map((pv: any) => pv.status.phase)).toEqual(['Available', 'Available', 'Available']);
    expect((await sandbox.kubectl(['apply', '-f', 'pvc.yaml'])).exitCode).toBe(0);
    await settle(sandbox);
    const claims = (await getJson(sandbox, ['get', 'pvc', '-n', 'jhub'])).items;
    const original = new Map(fixture('pvc-intree.yaml').items.map((pvc) => [pvc.metadata.name, pvc.spec.volumeName]));
    expect(claims.map((pvc: any) => [pvc.metadata.name, pvc.status.phase, pvc.spec.volumeName === original.get(pvc.metadata.name)])).toEqual([
      ['claim-alice', 'Bound', true],
      ['claim-j-2edoe', 'Bound', true],
      ['claim-zonca', 'Bound', true],
    ]);
    const volumes = (await getJson(sandbox, ['get', 'pv'])).items;
    const originalVolumeIds = new Map(fixture('pv-intree.yaml').items.map((pv) => [pv.metadata.name, pv.spec.cinder.volumeID]));
    for (const pv of volumes) {
      expect(pv.status.phase).toBe('Bound');
      expect(pv.spec.cinder.volumeID).toBe(originalVolumeIds.get(pv.metadata.name));
      expect(pv.spec.claimRef.uid).toBe(claims.find((pvc: any) => pvc.spec.volumeName === pv.metadata.name).metadata.uid);
    }
  });

  it('leaves a PV Released when its claimRef still holds the old claim uid, and the claim Pending with the seed\'s error', async () => {
    const files = restoreFiles(true);
    const sandbox = await kubeSandbox(toolchain, { 'pv.yaml': files.pv, 'pvc.yaml': files.pvc });
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    await sandbox.kubectl(['apply', '-f', 'pv.yaml']);
    await sandbox.kubectl(['apply', '-f', 'pvc.yaml']);
    await settle(sandbox);
    expect((await getJson(sandbox, ['get', 'pv'])).items.map((pv: any) => pv.status.phase)).toEqual(['Released', 'Released', 'Released']);
    expect((await getJson(sandbox, ['get', 'pvc', '-n', 'jhub'])).items.map((pvc: any) => pvc.status.phase)).toEqual(['Pending', 'Pending', 'Pending']);
    const events = (await getJson(sandbox, ['get', 'events', '-n', 'jhub'])).items;
    expect(events[0].message).toBe('two claims are bound to the same volume, this one is bound incorrectly');
  });

  it('provisions a Cinder volume per claim; Delete removes it with the claim, Retain keeps it Released', async () => {
    const sandbox = await kubeSandbox(toolchain);
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    await sandbox.kubectl(['apply', '-f', '-'], storageClass('Delete'));
    await sandbox.kubectl(['apply', '-f', '-'], claim);
    await settle(sandbox);
    const bound = await getJson(sandbox, ['get', 'pvc', 'claim-ada', '-n', 'jhub']);
    expect(bound.status).toMatchObject({ phase: 'Bound', capacity: { storage: '10Gi' } });
    expect(bound.spec.volumeName).toBe(`pvc-${bound.metadata.uid}`);
    const pv = await getJson(sandbox, ['get', 'pv', bound.spec.volumeName]);
    expect(sandbox.server.volumes.list().map((volume) => [volume.id, volume.name, volume.sizeGi])).toEqual([[pv.spec.csi.volumeHandle, `kubernetes-dynamic-${pv.metadata.name}`, 10]]);
    await sandbox.kubectl(['delete', 'pvc', 'claim-ada', '-n', 'jhub']);
    await settle(sandbox);
    expect((await getJson(sandbox, ['get', 'pv'])).items).toEqual([]);
    expect(sandbox.server.volumes.list()).toEqual([]);

    await sandbox.kubectl(['apply', '-f', '-'], storageClass('Retain'));
    await sandbox.kubectl(['apply', '-f', '-'], claim);
    await settle(sandbox);
    await sandbox.kubectl(['delete', 'pvc', 'claim-ada', '-n', 'jhub']);
    await settle(sandbox);
    expect((await getJson(sandbox, ['get', 'pv'])).items.map((item: any) => item.status.phase)).toEqual(['Released']);
    expect(sandbox.server.volumes.list()).toHaveLength(1);
  });
});
