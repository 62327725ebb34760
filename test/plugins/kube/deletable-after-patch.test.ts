import { describe, expect, it } from 'vitest';
import { patchMakesDeletable, patchMayMakeDeletable } from '../../../runner/plugins/kube/deletable-after-patch.js';

const volume = (phase: string, policy: string, finalizers = ['kubernetes.io/pv-protection']) => ({
  kind: 'PersistentVolume',
  metadata: { name: 'pv-gone-user', finalizers },
  spec: { persistentVolumeReclaimPolicy: policy, claimRef: { namespace: 'jhub', name: 'claim-gone' } },
  status: { phase },
});

describe('a patch that lets a volume be deleted', () => {
  it('is a destruction when it sets Delete on a Released or Available volume, in the namespace of its last claim', () => {
    for (const phase of ['Released', 'Available'])
      expect(patchMakesDeletable(volume(phase, 'Retain'), volume(phase, 'Delete'))).toEqual({
        what: `PersistentVolume/pv-gone-user: reclaim policy Delete on a ${phase} volume deletes its cloud volume at once`,
        namespace: 'jhub',
      });
    expect(patchMakesDeletable(volume('Bound', 'Retain'), volume('Bound', 'Delete'))).toBeUndefined();
    expect(patchMakesDeletable(volume('Released', 'Retain'), volume('Released', 'Retain'))).toBeUndefined();
  });

  it('is a destruction when it takes away a protection finalizer', () => {
    expect(patchMakesDeletable(volume('Bound', 'Retain'), volume('Bound', 'Retain', []))?.what).toBe(
      'PersistentVolume/pv-gone-user: without kubernetes.io/pv-protection it goes even while in use',
    );
    const claim = (finalizers: string[]) => ({
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'claim-ada', namespace: 'jhub', finalizers },
    });
    expect(patchMakesDeletable(claim(['kubernetes.io/pvc-protection']), claim([]))).toEqual({
      what: 'PersistentVolumeClaim/claim-ada: without kubernetes.io/pvc-protection it goes even while in use',
      namespace: 'jhub',
    });
  });

  it('is named up front from its arguments, whatever spelling of the kind', () => {
    expect(
      patchMayMakeDeletable({ kind: 'pv', name: 'pv-1', patch: { spec: { persistentVolumeReclaimPolicy: 'Delete' } } })
        ?.what,
    ).toMatch(/^PersistentVolume\/pv-1/);
    expect(
      patchMayMakeDeletable({
        kind: 'persistentvolumeclaims',
        name: 'c',
        namespace: 'jhub',
        patch: { metadata: { finalizers: null } },
      }),
    ).toMatchObject({ namespace: 'jhub' });
    expect(
      patchMayMakeDeletable({ kind: 'deployment', name: 'hub', patch: { spec: { replicas: 0 } } }),
    ).toBeUndefined();
    expect(
      patchMayMakeDeletable({ kind: 'pv', name: 'pv-1', patch: { spec: { persistentVolumeReclaimPolicy: 'Retain' } } }),
    ).toBeUndefined();
  });
});
