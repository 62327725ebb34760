import { describe, expect, it } from 'vitest';
import { openstackVolumeFromSnapshotPlugin } from '../../runner/plugins/openstack-volume-from-snapshot.js';
import { kubeListText, parseKubeList } from '../../runner/plugins/kube/kube-list.js';
import type { CinderSnapshot } from '../../runner/plugins/openstack/volume-snapshots.js';

const args = { namespace: 'jhub', claim: 'claim-a', run: 'r1', backup_dir: 'b', dir: 'b/from-snapshot' };
const snapshot: CinderSnapshot = {
  id: 'snap-a',
  name: 'run-r1-jhub-claim-a',
  status: 'available',
  sizeGi: 10,
  volumeId: 'disk-old',
  createdAt: '2026-12-07T10:00:00',
  properties: { 'jhub-runner.run': 'r1', 'jhub-runner.claim': 'jhub/claim-a' },
};
// An in-tree PV of the old cluster, Bound, with the server's bookkeeping.
const oldPv = {
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: {
    name: 'pvc-old',
    uid: 'u1',
    resourceVersion: '9',
    annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' },
  },
  spec: {
    capacity: { storage: '10Gi' },
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'standard',
    persistentVolumeReclaimPolicy: 'Delete',
    claimRef: { namespace: 'jhub', name: 'claim-a', uid: 'c1' },
    cinder: { volumeID: 'disk-old', fsType: 'xfs' },
  },
  status: { phase: 'Bound' },
};
const oldClaim = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'claim-a', namespace: 'jhub', uid: 'c1' },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '10Gi' } },
    volumeName: 'pvc-old',
    storageClassName: 'standard',
  },
  status: { phase: 'Bound' },
};
const made = (status: string) => ({
  id: 'disk-new',
  name: 'restored-claim-a',
  status,
  sizeGi: 10,
  attachedTo: [],
  properties: { 'jhub-runner.from-snapshot': 'snap-a' },
});
const facts = (
  cloud: ReturnType<typeof made>[],
  written = { volumes: undefined as string | undefined, claims: undefined as string | undefined },
) => ({
  snapshots: [snapshot],
  cloud,
  volumes: { path: 'b/pv.json', text: kubeListText([oldPv]) },
  claims: { path: 'b/pvc.json', text: kubeListText([oldClaim]) },
  written,
});

describe('openstack.volume_from_snapshot', () => {
  it("makes a volume from the run's snapshot of the claim, marked so a rerun finds it", () => {
    const plan = openstackVolumeFromSnapshotPlugin.plan(args, facts([]));
    expect(plan.change).toBe('create');
    expect(plan.actions[0]).toMatchObject({
      argv: [
        'openstack',
        'volume',
        'create',
        '--snapshot',
        'snap-a',
        '--size',
        '10',
        '--property',
        'jhub-runner.from-snapshot=snap-a',
        '--property',
        'jhub-runner.claim=jhub/claim-a',
        '--format',
        'value',
        '--column',
        'id',
        'restored-claim-a',
      ],
    });
  });

  it('waits while Cinder makes it, and refuses one in error', () => {
    expect(openstackVolumeFromSnapshotPlugin.plan(args, facts([made('creating')])).poll).toMatchObject({
      waitingFor: 'volume disk-new to be available',
    });
    expect(() => openstackVolumeFromSnapshotPlugin.plan(args, facts([made('error')]))).toThrow(
      /volume disk-new, made for jhub\/claim-a from snapshot snap-a, is error in Cinder/,
    );
  });

  it('writes a CSI volume reserved for the claim by name, and the claim naming it, from the backup', () => {
    const plan = openstackVolumeFromSnapshotPlugin.plan(args, facts([made('available')]));
    expect(plan.data).toEqual({ snapshot_id: 'snap-a', volume_id: 'disk-new' });
    const [pvFile, pvcFile] = plan.actions as { path: string; content: string }[];
    expect([pvFile!.path, pvcFile!.path]).toEqual([
      'b/from-snapshot/pv-restore.json',
      'b/from-snapshot/pvc-restore.json',
    ]);
    const pv = (parseKubeList(pvFile!.content) as any).items[0];
    expect(pv.metadata).toEqual({ name: 'restored-disk-new' });
    expect(pv.spec).toMatchObject({
      claimRef: { namespace: 'jhub', name: 'claim-a' },
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'standard',
      csi: { driver: 'cinder.csi.openstack.org', volumeHandle: 'disk-new', fsType: 'xfs' },
    });
    expect(pv.spec.claimRef.uid).toBeUndefined();
    expect(pv.spec.cinder).toBeUndefined();
    expect(pv.status).toBeUndefined();
    const pvc = (parseKubeList(pvcFile!.content) as any).items[0];
    expect(pvc.metadata).toEqual({ name: 'claim-a', namespace: 'jhub' });
    expect(pvc.spec.volumeName).toBe('restored-disk-new');
    // Written already: nothing to do.
    const again = openstackVolumeFromSnapshotPlugin.plan(
      args,
      facts([made('available')], { volumes: pvFile!.content, claims: pvcFile!.content }),
    );
    expect(again.change).toBe('none');
  });

  it('refuses a run with no available snapshot of the claim', () => {
    expect(() => openstackVolumeFromSnapshotPlugin.plan({ ...args, run: 'r9' }, facts([]))).toThrow(
      'run r9 has no available snapshot of jhub/claim-a',
    );
  });
});
