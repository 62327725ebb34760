import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubeSandbox, type KubeSandbox } from '../../../helpers/kube-sandbox.js';

const fixture = (name: string) =>
  parse(readFileSync(new URL(`../../../fixtures/pv-restore/${name}`, import.meta.url), 'utf8')) as { items: any[] };
const serverFields = ({
  uid: _uid,
  resourceVersion: _rv,
  creationTimestamp: _ct,
  selfLink: _sl,
  managedFields: _mf,
  ...metadata
}: any) => metadata;
// A kind: List makes kubectl validate through OpenAPI v2, which the simulator does not serve; the items go as a stream.
const stream = (objects: object[]) => objects.map((object) => stringify(object, { version: '1.1' })).join('---\n');

/** The seed's restore edits: user volumes only, Retain, claimRef removed (or kept, to show why it must go). */
function restoreFiles(keepClaimRef: boolean): { pv: string; pvc: string } {
  const pvs = fixture('pv-intree.yaml')
    .items.filter((pv) => pv.spec.claimRef.name !== 'hub-db-dir')
    .map(({ status: _status, ...pv }) => {
      const { claimRef, ...spec } = pv.spec;
      return {
        ...pv,
        metadata: serverFields(pv.metadata),
        spec: { ...spec, persistentVolumeReclaimPolicy: 'Retain', ...(keepClaimRef ? { claimRef } : {}) },
      };
    });
  const pvcs = fixture('pvc-intree.yaml')
    .items.filter((pvc) => pvc.metadata.name !== 'hub-db-dir')
    .map(({ status: _status, ...pvc }) => ({ ...pvc, metadata: serverFields(pvc.metadata) }));
  return { pv: stream(pvs), pvc: stream(pvcs) };
}

const getJson = async (sandbox: KubeSandbox, args: string[]) =>
  JSON.parse((await sandbox.kubectl([...args, '-o', 'json'])).stdout);
// Every write kubectl made is in the store when it returns: the controllers' passes run now, not after a timer.
const settle = async (sandbox: KubeSandbox) => sandbox.server.settle();

const storageClass = (reclaimPolicy: string) =>
  `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: standard, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}\nprovisioner: cinder.csi.openstack.org\nreclaimPolicy: ${reclaimPolicy}\n`;
const claim =
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim-ada, namespace: jhub}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n';

describe.each(['v33', 'v30'] as const)('volume controllers driven by the real kubectl %s', (toolchain) => {
  it('restores PVs then PVCs from the fixtures: each claim binds to its original volume', async () => {
    const files = restoreFiles(false);
    const sandbox = await kubeSandbox(toolchain, { 'pv.yaml': files.pv, 'pvc.yaml': files.pvc });
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    expect((await sandbox.kubectl(['apply', '-f', 'pv.yaml'])).exitCode).toBe(0);
    await settle(sandbox);
    expect((await getJson(sandbox, ['get', 'pv'])).items.map((pv: any) => pv.status.phase)).toEqual([
      'Available',
      'Available',
      'Available',
    ]);
    expect((await sandbox.kubectl(['apply', '-f', 'pvc.yaml'])).exitCode).toBe(0);
    await settle(sandbox);
    const claims = (await getJson(sandbox, ['get', 'pvc', '-n', 'jhub'])).items;
    const original = new Map(fixture('pvc-intree.yaml').items.map((pvc) => [pvc.metadata.name, pvc.spec.volumeName]));
    expect(
      claims.map((pvc: any) => [
        pvc.metadata.name,
        pvc.status.phase,
        pvc.spec.volumeName === original.get(pvc.metadata.name),
      ]),
    ).toEqual([
      ['claim-alice', 'Bound', true],
      ['claim-j-2edoe', 'Bound', true],
      ['claim-zonca', 'Bound', true],
    ]);
    const volumes = (await getJson(sandbox, ['get', 'pv'])).items;
    const originalVolumeIds = new Map(
      fixture('pv-intree.yaml').items.map((pv) => [pv.metadata.name, pv.spec.cinder.volumeID]),
    );
    for (const pv of volumes) {
      expect(pv.status.phase).toBe('Bound');
      expect(pv.spec.cinder.volumeID).toBe(originalVolumeIds.get(pv.metadata.name));
      expect(pv.spec.claimRef.uid).toBe(
        claims.find((pvc: any) => pvc.spec.volumeName === pv.metadata.name).metadata.uid,
      );
    }
  });

  it("leaves a PV Released when its claimRef still holds the old claim uid, and the restored claim Lost with the seed's error", async () => {
    const files = restoreFiles(true);
    const sandbox = await kubeSandbox(toolchain, { 'pv.yaml': files.pv, 'pvc.yaml': files.pvc });
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    await sandbox.kubectl(['apply', '-f', 'pv.yaml']);
    await sandbox.kubectl(['apply', '-f', 'pvc.yaml']);
    await settle(sandbox);
    expect((await getJson(sandbox, ['get', 'pv'])).items.map((pv: any) => pv.status.phase)).toEqual([
      'Released',
      'Released',
      'Released',
    ]);
    // The claims still carry pv.kubernetes.io/bind-completed, so the controller checks their volume's uid, as the real one does.
    expect((await getJson(sandbox, ['get', 'pvc', '-n', 'jhub'])).items.map((pvc: any) => pvc.status.phase)).toEqual([
      'Lost',
      'Lost',
      'Lost',
    ]);
    const events = (await getJson(sandbox, ['get', 'events', '-n', 'jhub'])).items;
    expect(events.map((event: any) => [event.reason, event.message])).toContainEqual([
      'ClaimMisbound',
      'Two claims are bound to the same volume, this one is bound incorrectly',
    ]);
  });

  it("uses the Cinder volume it already made for a claim when the PV's create failed after it, as Cinder CSI's CreateVolume does", async () => {
    // Controllers run only when the test says, so the volume is there before the provisioner looks.
    const sandbox = await kubeSandbox(toolchain, {}, { controllerDelayMs: 600_000 });
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    await sandbox.kubectl(['apply', '-f', '-'], storageClass('Delete'));
    await sandbox.kubectl(['apply', '-f', '-'], claim);
    const uid = (await getJson(sandbox, ['get', 'pvc', 'claim-ada', '-n', 'jhub'])).metadata.uid;
    const earlier = sandbox.server.volumes.create(`pvc-${uid}`, 10);
    await settle(sandbox);
    const bound = await getJson(sandbox, ['get', 'pvc', 'claim-ada', '-n', 'jhub']);
    expect(bound.status.phase).toBe('Bound');
    expect((await getJson(sandbox, ['get', 'pv', bound.spec.volumeName])).spec.csi.volumeHandle).toBe(earlier.id);
    expect(sandbox.server.volumes.list().map((volume) => volume.id)).toEqual([earlier.id]);
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
    expect(sandbox.server.volumes.list().map((volume) => [volume.id, volume.name, volume.sizeGi])).toEqual([
      [pv.spec.csi.volumeHandle, pv.metadata.name, 10],
    ]);
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

  it('keeps a Delete volume that has a snapshot, as Cinder refuses its deletion, and says so in an event', async () => {
    const sandbox = await kubeSandbox(toolchain);
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    await sandbox.kubectl(['apply', '-f', '-'], storageClass('Delete'));
    await sandbox.kubectl(['apply', '-f', '-'], claim);
    await settle(sandbox);
    const [volume] = sandbox.server.volumes.list();
    sandbox.server.volumes.createSnapshot(volume!.id, 'before-rebuild');
    await sandbox.kubectl(['delete', 'pvc', 'claim-ada', '-n', 'jhub']);
    await settle(sandbox);
    expect((await getJson(sandbox, ['get', 'pv'])).items.map((item: any) => item.status.phase)).toEqual(['Released']);
    expect(sandbox.server.volumes.get(volume!.id)).toBeDefined();
    const events = (await getJson(sandbox, ['get', 'events', '-A'])).items;
    expect(events.find((event: any) => event.reason === 'VolumeFailedDelete')?.message).toContain('have snapshots');
  });
});

const csiClass = (mode: 'Immediate' | 'WaitForFirstConsumer') =>
  `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: cinder-csi, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}\nprovisioner: cinder.csi.openstack.org\nreclaimPolicy: Delete\nvolumeBindingMode: ${mode}\n`;
const node =
  'apiVersion: v1\nkind: Node\nmetadata: {name: worker-0, labels: {topology.cinder.csi.openstack.org/zone: nova}}\n';
/** A restored volume as the seed makes it (no claimRef: free for any claim), or pre-bound to one claim by name. */
const restoredVolume = (name: string, handle: string, size: string, claim?: string) =>
  `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: ${name}}\nspec:\n  accessModes: [ReadWriteOnce]\n  capacity: {storage: ${size}}\n  csi: {driver: cinder.csi.openstack.org, volumeHandle: ${handle}}\n  persistentVolumeReclaimPolicy: Retain\n  storageClassName: cinder-csi\n${claim ? `  claimRef: {namespace: jhub, name: ${claim}}\n` : ''}`;
const userClaim = (name: string, size = '1Gi', extra = '') =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}, namespace: jhub}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: ${size}}}${extra}}\n`;
const podOf = (claim: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: pod-${claim}, namespace: jhub}\nspec:\n  containers: [{name: c, image: i}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: ${claim}}}]\n`;

async function cluster(
  toolchain: 'v33' | 'v30',
  mode: 'Immediate' | 'WaitForFirstConsumer',
  ...manifests: string[]
): Promise<KubeSandbox> {
  const sandbox = await kubeSandbox(toolchain);
  await sandbox.kubectl(['create', 'namespace', 'jhub']);
  expect(
    (await sandbox.kubectl(['apply', '-f', '-'], [csiClass(mode), node, ...manifests].join('---\n'))).exitCode,
  ).toBe(0);
  await settle(sandbox);
  return sandbox;
}

describe.each(['v33', 'v30'] as const)(
  'the persistent-volume controller is as strict as a real one (kubectl %s)',
  (toolchain) => {
    it('gives an unbound claim an existing Available volume of its class before provisioning a new one, and sets the default class at creation', async () => {
      const sandbox = await cluster(toolchain, 'Immediate', restoredVolume('pv-alice', 'cinder-a', '10Gi'));
      await sandbox.kubectl(['apply', '-f', '-'], userClaim('hub-db-dir'));
      await settle(sandbox);
      const claim = await getJson(sandbox, ['get', 'pvc', 'hub-db-dir', '-n', 'jhub']);
      expect(claim.spec.storageClassName).toBe('cinder-csi');
      expect(claim.status.phase).toBe('Bound');
      expect(claim.spec.volumeName).toBe('pv-alice');
      expect(sandbox.server.volumes.list()).toEqual([]);
      const explicit = userClaim('no-class', '1Gi', ', storageClassName: ""');
      await sandbox.kubectl(['apply', '-f', '-'], explicit);
      await settle(sandbox);
      expect((await getJson(sandbox, ['get', 'pvc', 'no-class', '-n', 'jhub'])).spec.storageClassName).toBe('');
    });

    it("under WaitForFirstConsumer binds when a pod is scheduled: the seed's unreserved volume is taken by the hub's claim; a pre-bound one never is", async () => {
      const sandbox = await cluster(
        toolchain,
        'WaitForFirstConsumer',
        restoredVolume('pv-free', 'cinder-free', '10Gi'),
        restoredVolume('pv-kept', 'cinder-kept', '5Gi', 'claim-dee'),
      );
      await sandbox.kubectl(['apply', '-f', '-'], userClaim('hub-db-dir'));
      await settle(sandbox);
      expect((await getJson(sandbox, ['get', 'pvc', 'hub-db-dir', '-n', 'jhub'])).status.phase).toBe('Pending');
      const events = (await getJson(sandbox, ['get', 'events', '-n', 'jhub'])).items.map((event: any) => event.reason);
      expect(events).toContain('WaitForFirstConsumer');
      await sandbox.kubectl(['apply', '-f', '-'], podOf('hub-db-dir'));
      await settle(sandbox);
      await settle(sandbox);
      // The smaller, pre-bound volume fits too, but it is reserved for claim-dee: the free one is taken, as on a real cluster.
      expect((await getJson(sandbox, ['get', 'pvc', 'hub-db-dir', '-n', 'jhub'])).spec.volumeName).toBe('pv-free');
      expect((await getJson(sandbox, ['get', 'pv', 'pv-kept'])).status.phase).toBe('Available');

      await sandbox.kubectl(['apply', '-f', '-'], `${userClaim('claim-new')}---\n${podOf('claim-new')}`);
      await settle(sandbox);
      await settle(sandbox);
      const fresh = await getJson(sandbox, ['get', 'pvc', 'claim-new', '-n', 'jhub']);
      expect(fresh.status.phase).toBe('Bound');
      expect(fresh.spec.volumeName).toBe(`pvc-${fresh.metadata.uid}`);
      expect(
        (await getJson(sandbox, ['get', 'pv', fresh.spec.volumeName])).spec.nodeAffinity.required.nodeSelectorTerms[0]
          .matchExpressions[0],
      ).toEqual({ key: 'topology.cinder.csi.openstack.org/zone', operator: 'In', values: ['nova'] });

      await sandbox.kubectl(['apply', '-f', '-'], userClaim('claim-dee'));
      await settle(sandbox);
      expect((await getJson(sandbox, ['get', 'pvc', 'claim-dee', '-n', 'jhub'])).spec.volumeName).toBe('pv-kept');
    });

    it('binds a pre-bound volume only to its named claim, whatever another claim asks', async () => {
      const sandbox = await cluster(
        toolchain,
        'Immediate',
        restoredVolume('pv-kept', 'cinder-kept', '10Gi', 'claim-dee'),
      );
      await sandbox.kubectl(
        ['apply', '-f', '-'],
        userClaim('claim-eve', '1Gi', ', volumeName: pv-kept, storageClassName: cinder-csi'),
      );
      await settle(sandbox);
      expect((await getJson(sandbox, ['get', 'pvc', 'claim-eve', '-n', 'jhub'])).status.phase).toBe('Pending');
      const events = (await getJson(sandbox, ['get', 'events', '-n', 'jhub'])).items.map((event: any) => event.message);
      expect(events).toContain('volume "pv-kept" already bound to a different claim.');
      expect((await getJson(sandbox, ['get', 'pv', 'pv-kept'])).spec.claimRef).toMatchObject({ name: 'claim-dee' });
    });

    it("refuses to change a Bound claim's spec, or a volume's cloud volume, with the API server's own message (422)", async () => {
      const sandbox = await cluster(
        toolchain,
        'Immediate',
        restoredVolume('pv-a', 'cinder-a', '10Gi'),
        restoredVolume('pv-b', 'cinder-b', '10Gi'),
      );
      await sandbox.kubectl(
        ['apply', '-f', '-'],
        userClaim('claim-ann', '1Gi', ', volumeName: pv-a, storageClassName: cinder-csi'),
      );
      await settle(sandbox);
      const moved = await sandbox.kubectl(
        ['apply', '-f', '-'],
        userClaim('claim-ann', '1Gi', ', volumeName: pv-b, storageClassName: cinder-csi'),
      );
      expect(moved.exitCode).toBe(1);
      expect(moved.stderr).toContain(
        'The PersistentVolumeClaim "claim-ann" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      );
      const patched = await sandbox.kubectl([
        'patch',
        'pvc',
        'claim-ann',
        '-n',
        'jhub',
        '--type',
        'merge',
        '-p',
        '{"spec":{"storageClassName":"other"}}',
      ]);
      expect(patched.exitCode).toBe(1);
      expect(patched.stderr).toContain('spec is immutable after creation');
      const grown = await sandbox.kubectl([
        'patch',
        'pvc',
        'claim-ann',
        '-n',
        'jhub',
        '--type',
        'merge',
        '-p',
        '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}',
      ]);
      expect(grown.exitCode, grown.stderr).toBe(0);
      const swapped = await sandbox.kubectl(['apply', '-f', '-'], restoredVolume('pv-a', 'cinder-z', '10Gi'));
      expect(swapped.exitCode).toBe(1);
      expect(swapped.stderr).toContain(
        'The PersistentVolume "pv-a" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
      );
    });

    it('deletes a provisioned volume with reclaim policy Delete whose claim got bound to another volume, Cinder volume and all', async () => {
      const sandbox = await cluster(toolchain, 'Immediate');
      await sandbox.kubectl(['apply', '-f', '-'], userClaim('claim-ann'));
      await settle(sandbox);
      const first = (await getJson(sandbox, ['get', 'pvc', 'claim-ann', '-n', 'jhub'])).spec.volumeName;
      // A restore that kept pv.kubernetes.io/provisioned-by and Delete, with the claim now bound elsewhere.
      const pv = await getJson(sandbox, ['get', 'pv', first]);
      await sandbox.kubectl(['delete', 'pvc', 'claim-ann', '-n', 'jhub', '--wait=false']);
      await sandbox.kubectl(
        ['apply', '-f', '-'],
        `${restoredVolume('pv-other', 'cinder-other', '10Gi')}---\n${userClaim('claim-ann', '1Gi', ', volumeName: pv-other, storageClassName: cinder-csi')}`,
      );
      await settle(sandbox);
      await settle(sandbox);
      expect((await sandbox.kubectl(['get', 'pv', first])).stderr).toContain('not found');
      expect(sandbox.server.volumes.get(pv.spec.csi.volumeHandle)).toBeUndefined();
    });
  },
);
