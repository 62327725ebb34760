import { describe, expect, it } from 'vitest';
import { kubectlReleaseClaimPlugin } from '../../runner/plugins/kubectl-release-claim.js';

const args = { namespace: 'jhub', claim: 'claim-a', unless_on: 'disk-new' };
const claim = { spec: { volumeName: 'pv-a' }, status: { phase: 'Bound' } };
const volume = (policy: string, disk = 'disk-old') => ({
  metadata: { name: 'pv-a' },
  spec: { persistentVolumeReclaimPolicy: policy, csi: { volumeHandle: disk } },
});

describe('kubectl.release_claim', () => {
  it('deletes the claim when no pod mounts it and its volume is Retain, and declares the destruction', () => {
    const plan = kubectlReleaseClaimPlugin.plan(args, { claim, volume: volume('Retain'), users: [] });
    expect(plan).toMatchObject({
      change: 'delete',
      reason: 'delete claim claim-a in jhub; its volume pv-a stays (Retain)',
      destroys: { namespace: 'jhub' },
    });
    expect(plan.actions[0]).toMatchObject({
      argv: ['kubectl', 'delete', 'persistentvolumeclaim', 'claim-a', '--namespace', 'jhub', '--ignore-not-found'],
    });
  });

  it("refuses while the user's server mounts it, or while its volume would go with it", () => {
    expect(() =>
      kubectlReleaseClaimPlugin.plan(args, { claim, volume: volume('Retain'), users: ['jupyter-a'] }),
    ).toThrow(/claim-a is mounted by jupyter-a: stop the user's server first/);
    expect(() => kubectlReleaseClaimPlugin.plan(args, { claim, volume: volume('Delete'), users: [] })).toThrow(
      /reclaim policy Delete: deleting the claim would delete the volume/,
    );
  });

  it('only checks for a mounting pod with only_check, and then destroys nothing', () => {
    const check = { ...args, only_check: true };
    expect(kubectlReleaseClaimPlugin.effects!(check)).toEqual({});
    expect(kubectlReleaseClaimPlugin.plan(check, { claim, volume: volume('Delete'), users: [] })).toMatchObject({
      change: 'none',
      actions: [],
    });
    expect(() =>
      kubectlReleaseClaimPlugin.plan(check, { claim, volume: volume('Retain'), users: ['jupyter-a'] }),
    ).toThrow(/mounted by jupyter-a/);
  });

  it('leaves a claim already on the new volume alone, so a rerun does not undo the restore', () => {
    expect(
      kubectlReleaseClaimPlugin.plan(args, { claim, volume: volume('Retain', 'disk-new'), users: [] }),
    ).toMatchObject({
      change: 'none',
      reason: 'claim-a is on Cinder volume disk-new already (Bound): nothing to delete',
    });
    expect(kubectlReleaseClaimPlugin.plan(args, { claim: undefined, volume: undefined, users: [] }).change).toBe(
      'none',
    );
  });
});
