import { describe, expect, it } from 'vitest';
import { openstackSnapshotsPlugin } from '../../runner/plugins/openstack-snapshots.js';
import { kubeListText } from '../../runner/plugins/kube/kube-list.js';
import type { CinderVolume } from '../../runner/plugins/openstack/cinder-volumes.js';
import type { CinderSnapshot } from '../../runner/plugins/openstack/volume-snapshots.js';

const pv = (name: string, claim: string, disk: string) => ({
  metadata: { name },
  spec: { csi: { volumeHandle: disk }, claimRef: { namespace: 'jhub', name: claim } },
});
const backup = (items: object[]) => ({ path: 'b/pv.json', text: kubeListText(items) });
const cinder = (id: string): CinderVolume => ({ id, name: id, status: 'available', sizeGi: 10, attachedTo: [] });
const snapshot = (id: string, volumeId: string, claim: string, run = 'r1', namespace = 'jhub'): CinderSnapshot => ({
  id,
  name: `run-${run}-${namespace}-${claim}`,
  status: 'available',
  sizeGi: 10,
  volumeId,
  createdAt: `2026-12-0${run === 'r1' ? 1 : 2}T10:00:00`,
  properties: { 'jhub-runner.run': run, 'jhub-runner.claim': `${namespace}/${claim}` },
});
const snapshots = [
  snapshot('s-a1', 'disk-a', 'claim-a'),
  snapshot('s-b1', 'disk-b', 'claim-b'),
  snapshot('s-a2', 'disk-a', 'claim-a', 'r2'),
  snapshot('s-g1', 'disk-g', 'claim-g', 'r1', 'grading'),
  // Made by hand, without the runner's properties: never listed, never deleted.
  { ...snapshot('s-hand', 'disk-a', 'claim-a'), properties: {} },
];
const file = backup([pv('pv-a', 'claim-a', 'disk-a'), pv('pv-b', 'claim-b', 'disk-b')]);

describe('openstack.snapshots', () => {
  it("lists the runner's snapshots of the namespace by run and claim, marking one whose volume is gone", () => {
    const plan = openstackSnapshotsPlugin.plan(
      { namespace: 'jhub' },
      { snapshots, cloud: [cinder('disk-a')], file: undefined },
    );
    expect(plan.change).toBe('none');
    expect(plan.reason).toBe('3 snapshot(s) of jhub (30 GiB) from 2 run(s)');
    expect(plan.details).toEqual([
      'run r1: jhub/claim-a snapshot s-a1 (10 GiB, available, 2026-12-01 10:00) of volume disk-a',
      'run r1: jhub/claim-b snapshot s-b1 (10 GiB, available, 2026-12-01 10:00) of volume disk-b is gone: this snapshot is the only copy',
      'run r2: jhub/claim-a snapshot s-a2 (10 GiB, available, 2026-12-02 10:00) of volume disk-a',
    ]);
    const oneRun = openstackSnapshotsPlugin.plan(
      { namespace: 'jhub', run: 'r2' },
      { snapshots, cloud: [], file: undefined },
    );
    expect((oneRun.data!['snapshots'] as { id: string }[]).map((each) => each.id)).toEqual(['s-a2']);
  });

  it("deletes a run's snapshots in one client process once each volume is in the cloud and kept for its claim", () => {
    const plan = openstackSnapshotsPlugin.plan(
      { namespace: 'jhub', run: 'r1', delete: true, backup_dir: 'b', cloud: 'site' },
      { snapshots, cloud: [cinder('disk-a'), cinder('disk-b')], file },
    );
    expect(plan).toMatchObject({
      change: 'delete',
      destroys: { what: 'the Cinder snapshots of run r1 in jhub', namespace: 'jhub', cloudVolumes: true },
      data: { deleted: ['s-a1', 's-b1'] },
    });
    expect(plan.actions).toEqual([
      { kind: 'exec', argv: ['openstack'], env: { OS_CLOUD: 'site' }, input: 'volume snapshot delete s-a1 s-b1\n' },
    ]);
  });

  it('refuses to delete a snapshot that is the only copy, or whose volume another claim holds, and deletes none', () => {
    const swapped = backup([pv('pv-a', 'claim-b', 'disk-a'), pv('pv-b', 'claim-b', 'disk-b')]);
    expect(() =>
      openstackSnapshotsPlugin.plan(
        { namespace: 'jhub', run: 'r1', delete: true, backup_dir: 'b' },
        { snapshots, cloud: [cinder('disk-a')], file: swapped },
      ),
    ).toThrow(
      expect.objectContaining({
        name: 'PlanRefusal',
        message: expect.stringMatching(
          /^2 snapshot\(s\) of run r1 may be the only way back to a user's files: claim-a \(snapshot s-a1: its volume disk-a is held by claim-b\), claim-b \(snapshot s-b1: its volume disk-b is gone, so this is the only copy\)\. Nothing was deleted\./,
        ),
      }),
    );
  });

  it('needs a run and a fresh backup to delete, and declares the destruction from its arguments', () => {
    expect(() =>
      openstackSnapshotsPlugin.plan({ namespace: 'jhub', delete: true, backup_dir: 'b' }, undefined),
    ).toThrow('delete needs the run');
    expect(() => openstackSnapshotsPlugin.plan({ namespace: 'jhub', run: 'r1', delete: true }, undefined)).toThrow(
      'delete needs backup_dir',
    );
    expect(openstackSnapshotsPlugin.effects!({ namespace: 'jhub' })).toEqual({});
    expect(openstackSnapshotsPlugin.effects!({ namespace: 'jhub', run: 'r1', delete: true })).toMatchObject({
      destroys: { cloudVolumes: true },
    });
  });
});
