import { describe, expect, it } from 'vitest';
import { openstackCheckVolumesPlugin } from '../../runner/plugins/openstack-check-volumes.js';
import { kubeListText } from '../../runner/plugins/kube/kube-list.js';
import type { CinderVolume } from '../../runner/plugins/openstack/cinder-volumes.js';

const pv = (name: string, claim: string, disk: string, namespace = 'jhub') => ({
  metadata: { name },
  spec: { csi: { volumeHandle: disk }, claimRef: { namespace, name: claim } },
});
const cinder = (id: string, status = 'available', attachedTo: string[] = []): CinderVolume => ({
  id,
  name: `pvc-${id}`,
  status,
  sizeGi: 1,
  attachedTo,
});
const args = { volumes_file: 'b/pv-restore.json', namespace: 'jhub' };
const file = kubeListText([
  pv('pv-a', 'claim-a', 'disk-a'),
  pv('pv-b', 'claim-b', 'disk-b'),
  pv('pv-o', 'claim-o', 'disk-o', 'grading'),
]);

describe('openstack.check_volumes', () => {
  it("is ok when the cloud has each of the namespace's volumes, counting those still attached to the old servers", () => {
    const plan = openstackCheckVolumesPlugin.plan(args, {
      file,
      cloud: [cinder('disk-a', 'in-use', ['server-1']), cinder('disk-b')],
    });
    expect(plan).toMatchObject({
      change: 'none',
      reason:
        "all 2 Cinder volume(s) of jhub in b/pv-restore.json are in the cloud (1 attached to the old cluster's servers)",
      data: { checked: 2, in_use: 1 },
    });
  });

  it('refuses naming each claim whose volume is gone or broken, and says nothing was destroyed', () => {
    const refusal = () => openstackCheckVolumesPlugin.plan(args, { file, cloud: [cinder('disk-a', 'error_deleting')] });
    expect(refusal).toThrow(
      expect.objectContaining({
        name: 'PlanRefusal',
        message: expect.stringMatching(
          /^1 volume\(s\) of b\/pv-restore\.json are not in the cloud any more: claim-b \(PV pv-b, cloud volume disk-b\); 1 are in a state Cinder cannot attach: claim-a \(PV pv-a, cloud volume disk-a .*error_deleting\)\)\. Nothing was destroyed\./,
        ),
      }),
    );
  });

  it('cannot be decided before the restore file exists, and fails on a PV that names no Cinder volume', () => {
    expect(() => openstackCheckVolumesPlugin.plan(args, { file: undefined, cloud: [] })).toThrow(
      'b/pv-restore.json does not exist',
    );
    const bare = kubeListText([
      { metadata: { name: 'pv-x' }, spec: { claimRef: { namespace: 'jhub', name: 'claim-x' } } },
    ]);
    expect(() => openstackCheckVolumesPlugin.plan(args, { file: bare, cloud: [] })).toThrow(
      'b/pv-restore.json: PV pv-x names no Cinder volume',
    );
    expect(openstackCheckVolumesPlugin.plan(args, undefined).change).toBe('none');
  });
});
