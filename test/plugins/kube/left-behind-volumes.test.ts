import { describe, expect, it } from 'vitest';
import {
  describeLeftBehind,
  describeReleased,
  leftBehindVolumes,
  releasedVolumes,
} from '../../../runner/plugins/kube/left-behind-volumes.js';

const pv = (name: string, claim: string, disk: string, phase = 'Bound') => ({
  metadata: { name },
  spec: { csi: { volumeHandle: disk }, claimRef: { namespace: 'jhub', name: claim }, capacity: { storage: '1Gi' } },
  status: { phase },
});

describe('volumes the old cluster or the old release left behind', () => {
  const before = [
    pv('pv-hub', 'hub-db-dir', 'disk-hub'),
    pv('pv-a', 'claim-a', 'disk-a'),
    pv('pv-b', 'claim-b', 'disk-b'),
  ];

  it('names a cloud volume no PV uses now, and says a user volume is to be given back, not deleted', () => {
    const lines = describeLeftBehind(leftBehindVolumes(before, [pv('pv-new', 'claim-a', 'disk-a')]));
    expect(lines).toEqual([
      'left without a PV: Cinder volume disk-hub (1Gi), was pv-hub of jhub/hub-db-dir',
      "left without a PV: Cinder volume disk-b (1Gi), was pv-b of jhub/claim-b: a user's home volume, not restored by this run; give it back to them, do not delete it",
      'list and remove them with playbooks/remove-orphaned-volumes.yml (-e delete_volumes=disk-hub --yes)',
    ]);
  });

  it("names a Released volume whose claim is gone, not a user's, with how to remove it", () => {
    const live = [
      pv('pv-hub', 'hub-db-dir', 'disk-hub', 'Released'),
      pv('pv-a', 'claim-a', 'disk-a', 'Released'),
      pv('pv-b', 'claim-b', 'disk-b'),
    ];
    expect(describeReleased(releasedVolumes(before, live))).toEqual([
      'Released: PV pv-hub (Cinder volume disk-hub), was jhub/hub-db-dir, kept by Retain with the old data; once you are sure, kubectl delete pv pv-hub, then playbooks/remove-orphaned-volumes.yml lists its Cinder volume',
    ]);
  });
});
