import { describe, expect, it } from 'vitest';
import { openstackVerifySnapshotsPlugin } from '../../runner/plugins/openstack-verify-snapshots.js';
import { kubeListText } from '../../runner/plugins/kube/kube-list.js';
import type { CinderSnapshot } from '../../runner/plugins/openstack/volume-snapshots.js';

const pv = (name: string, claim: string, disk: string) => ({
  metadata: { name },
  spec: { csi: { volumeHandle: disk }, claimRef: { namespace: 'jhub', name: claim } },
});
const snapshot = (
  volumeId: string,
  claim: string,
  status = 'available',
  createdAt = '2026-12-07T10:00:00',
): CinderSnapshot => ({
  id: `snap-${volumeId}-${status}`,
  name: `run-r1-jhub-${claim}`,
  status,
  sizeGi: 10,
  volumeId,
  createdAt,
  properties: { 'jhub-runner.run': 'r1', 'jhub-runner.claim': `jhub/${claim}` },
});
const backup = (items: object[]) => ({ path: 'b/pv.json', text: kubeListText(items) });
const args = { backup_dir: 'b', namespace: 'jhub', run: 'r1' };
const file = backup([pv('pv-a', 'claim-a', 'disk-a'), pv('pv-b', 'claim-b', 'disk-b')]);

const cloud = ['disk-a', 'disk-b'];

describe('openstack.verify_snapshots', () => {
  it('wants no snapshot of a volume the cloud no longer has, nor of hub-db-dir', () => {
    const withHubDb = backup([
      pv('pv-a', 'claim-a', 'disk-a'),
      pv('pv-b', 'claim-b', 'disk-b'),
      pv('pv-h', 'hub-db-dir', 'disk-h'),
    ]);
    const plan = openstackVerifySnapshotsPlugin.plan(args, {
      file: withHubDb,
      snapshots: [snapshot('disk-a', 'claim-a')],
      cloud: ['disk-a', 'disk-h'],
      report: undefined,
    });
    expect(plan).toMatchObject({ change: 'create', data: { snapshots: 1 } });
  });

  it('is ok when each volume has an available snapshot of the run, and registers their IDs', () => {
    const plan = openstackVerifySnapshotsPlugin.plan(args, {
      file,
      snapshots: [
        snapshot('disk-a', 'claim-a'),
        snapshot('disk-b', 'claim-b', 'error', '2026-12-07T09:00'),
        snapshot('disk-b', 'claim-b'),
      ],
      cloud,
      report: undefined,
    });
    expect(plan).toMatchObject({
      change: 'create',
      data: { snapshots: 2, snapshot_ids: { 'claim-a': 'snap-disk-a-available', 'claim-b': 'snap-disk-b-available' } },
    });
    // The backup folder says which snapshot holds whose files; once written, there is nothing more to do.
    const [report] = plan.actions as { path: string; content: string }[];
    expect(report!.path).toBe('b/snapshots.json');
    expect(JSON.parse(report!.content)).toEqual({
      run: 'r1',
      namespace: 'jhub',
      snapshots: [
        { claim: 'claim-a', volume_id: 'disk-a', snapshot_id: 'snap-disk-a-available', size_gib: 10 },
        { claim: 'claim-b', volume_id: 'disk-b', snapshot_id: 'snap-disk-b-available', size_gib: 10 },
      ],
    });
  });

  it('waits while Cinder is still making one', () => {
    const plan = openstackVerifySnapshotsPlugin.plan(
      { ...args, timeout: 30 },
      {
        file,
        snapshots: [snapshot('disk-a', 'claim-a'), snapshot('disk-b', 'claim-b', 'creating')],
        cloud,
        report: undefined,
      },
    );
    expect(plan.poll).toEqual({ waitingFor: 'Cinder to finish 1 snapshot(s)', intervalSeconds: 2, timeoutSeconds: 30 });
  });

  it('refuses naming each volume with no snapshot of the run, or only one in error', () => {
    const other = {
      ...snapshot('disk-a', 'claim-a'),
      properties: { 'jhub-runner.run': 'r0', 'jhub-runner.claim': 'jhub/claim-a' },
    };
    expect(() =>
      openstackVerifySnapshotsPlugin.plan(args, {
        file,
        snapshots: [other, snapshot('disk-b', 'claim-b', 'error')],
        cloud,
        report: undefined,
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'PlanRefusal',
        message: expect.stringMatching(
          /^1 volume\(s\) of jhub have no snapshot of run r1: claim-a; 1 snapshot\(s\) failed in Cinder: claim-b \(run-r1-jhub-claim-b: error\)\. Nothing was destroyed\./,
        ),
      }),
    );
  });
});
