import { describe, expect, it } from 'vitest';
import { openstackSnapshotVolumesPlugin } from '../../runner/plugins/openstack-snapshot-volumes.js';
import { kubeListText } from '../../runner/plugins/kube/kube-list.js';
import type { CinderVolume } from '../../runner/plugins/openstack/cinder-volumes.js';
import type { CinderSnapshot } from '../../runner/plugins/openstack/volume-snapshots.js';

const pv = (name: string, claim: string, disk: string, namespace = 'jhub') => ({
  metadata: { name },
  spec: { csi: { volumeHandle: disk }, claimRef: { namespace, name: claim } },
});
const cinder = (id: string, sizeGi = 10): CinderVolume => ({
  id,
  name: `pvc-${id}`,
  status: 'in-use',
  sizeGi,
  attachedTo: [],
});
const snapshot = (volumeId: string, claim: string, run = 'r1', status = 'available'): CinderSnapshot => ({
  id: `snap-${volumeId}-${run}`,
  name: `run-${run}-jhub-${claim}`,
  status,
  sizeGi: 10,
  volumeId,
  createdAt: '2026-12-07T10:00:00.000000',
  properties: { 'jhub-runner.run': run, 'jhub-runner.claim': `jhub/${claim}` },
});
const backup = (items: object[]) => ({ path: 'b/pv.json', text: kubeListText(items) });
const args = { backup_dir: 'b', namespace: 'jhub', run: 'r1', cloud: 'site' };
const file = backup([
  pv('pv-a', 'claim-a', 'disk-a'),
  pv('pv-b', 'claim-b', 'disk-b'),
  pv('pv-h', 'hub-db-dir', 'disk-h'),
  pv('pv-o', 'claim-o', 'disk-o', 'grading'),
]);
const unlimited = {
  maxTotalSnapshots: -1,
  maxTotalVolumeGigabytes: -1,
  totalSnapshotsUsed: 3,
  totalGigabytesUsed: 900,
};
const cloud = [cinder('disk-a'), cinder('disk-b', 1), cinder('disk-h', 1), cinder('disk-o')];

describe('openstack.snapshot_volumes', () => {
  it("snapshots each user volume of the namespace, not hub-db-dir nor another namespace's, through the client's interactive mode", () => {
    const plan = openstackSnapshotVolumesPlugin.plan(args, { file, cloud, snapshots: [], limits: unlimited });
    expect(plan).toMatchObject({ change: 'create', reason: 'snapshot 2 Cinder volume(s) of jhub (11 GiB)' });
    expect(plan.actions).toEqual([
      {
        kind: 'exec',
        argv: ['openstack'],
        env: { OS_CLOUD: 'site' },
        input:
          'volume snapshot create --volume disk-a --force --property jhub-runner.run=r1 --property jhub-runner.claim=jhub/claim-a -f value -c id run-r1-jhub-claim-a\n',
      },
      {
        kind: 'exec',
        argv: ['openstack'],
        env: { OS_CLOUD: 'site' },
        input:
          'volume snapshot create --volume disk-b --force --property jhub-runner.run=r1 --property jhub-runner.claim=jhub/claim-b -f value -c id run-r1-jhub-claim-b\n',
      },
    ]);
    expect(plan.details).toEqual([
      'claim-a: run-r1-jhub-claim-a of volume disk-a (10 GiB)',
      'claim-b: run-r1-jhub-claim-b of volume disk-b (1 GiB)',
    ]);
    expect(plan.keep).toEqual([
      expect.stringContaining("2 snapshot(s) of jhub's volumes (11 GiB), named run-r1-jhub-<claim>"),
    ]);
  });

  it('makes only the snapshots a resumed run still lacks, and nothing once each volume has one of this run', () => {
    const half = openstackSnapshotVolumesPlugin.plan(args, {
      file,
      cloud,
      // Another run's snapshot, and one of this run in error, do not count.
      snapshots: [
        snapshot('disk-a', 'claim-a'),
        snapshot('disk-b', 'hub-db-dir', 'r0'),
        snapshot('disk-b', 'hub-db-dir', 'r1', 'error'),
      ],
      limits: unlimited,
    });
    expect(half.reason).toBe('snapshot 1 Cinder volume(s) of jhub (1 GiB); 1 have theirs already');
    expect((half.actions[0] as { input: string }).input).not.toContain('disk-a');
    const done = openstackSnapshotVolumesPlugin.plan(args, {
      file,
      cloud,
      snapshots: [snapshot('disk-a', 'claim-a'), snapshot('disk-b', 'claim-b')],
      limits: unlimited,
    });
    expect(done).toMatchObject({ change: 'none', data: { snapshots: 2, snapshot_gigabytes: 11 } });
  });

  it("refuses before the first snapshot when the project's quota has no room for all of them", () => {
    const tooFew = {
      maxTotalSnapshots: 10,
      totalSnapshotsUsed: 9,
      maxTotalVolumeGigabytes: 1000,
      totalGigabytesUsed: 995,
    };
    expect(() => openstackSnapshotVolumesPlugin.plan(args, { file, cloud, snapshots: [], limits: tooFew })).toThrow(
      expect.objectContaining({
        name: 'PlanRefusal',
        message: expect.stringMatching(
          /^2 snapshot\(s\) of 11 GiB are needed before anything is destroyed, but the project has room for 1 more snapshot\(s\) \(quota 10\) and 5 GiB left of its 1000 GiB .*Nothing was written\..*snapshot_volumes: false/,
        ),
      }),
    );
  });

  it('names a volume the cloud no longer has and snapshots the others; refuses a value the client would read as more than a word', () => {
    const plan = openstackSnapshotVolumesPlugin.plan(args, {
      file,
      cloud: [cinder('disk-b')],
      snapshots: [],
      limits: unlimited,
    });
    expect(plan.reason).toBe('snapshot 1 Cinder volume(s) of jhub (10 GiB); 1 not in the cloud');
    expect(plan.details).toContain('claim-a: its Cinder volume disk-a is not in the cloud; nothing to snapshot');
    const forged = backup([pv('pv-x', 'claim-x', 'disk-x | rm -rf ~')]);
    expect(() =>
      openstackSnapshotVolumesPlugin.plan(args, {
        file: forged,
        cloud: [cinder('disk-x | rm -rf ~')],
        snapshots: [],
        limits: unlimited,
      }),
    ).toThrow('"disk-x | rm -rf ~" cannot be passed to the openstack client');
  });

  it('splits the snapshots over four client processes that run side by side, whatever the number of users', () => {
    const many = Array.from({ length: 1000 }, (_, index) => pv(`pv-${index}`, `claim-u${index}`, `disk-${index}`));
    const plan = openstackSnapshotVolumesPlugin.plan(args, {
      file: backup(many),
      cloud: many.map((volume) => cinder(volume.spec.csi.volumeHandle)),
      snapshots: [],
      limits: unlimited,
    });
    expect(plan.concurrency).toBe(4);
    expect(plan.actions.map((action) => (action as { input: string }).input.split('\n').length - 1)).toEqual([
      250, 250, 250, 250,
    ]);
    const few = openstackSnapshotVolumesPlugin.plan(args, { file, cloud, snapshots: [], limits: unlimited });
    expect(few.actions).toHaveLength(2);
  });

  it('says in a dry run that it may run the client, without knowing which volumes', () => {
    const plan = openstackSnapshotVolumesPlugin.plan(args, undefined);
    expect(plan.change).toBe('create');
    expect(plan.actions).toEqual([{ kind: 'exec', argv: ['openstack'], env: { OS_CLOUD: 'site' }, input: '' }]);
  });
});
