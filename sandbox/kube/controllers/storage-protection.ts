import type { KubeObject } from '../object-store.js';
import { mustType, updateIfChanged, type Controller } from './controller-context.js';

const pvcProtection = 'kubernetes.io/pvc-protection';
const pvProtection = 'kubernetes.io/pv-protection';

function withoutFinalizer(object: KubeObject, finalizer: string): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      finalizers: (object.metadata.finalizers as string[]).filter((name) => name !== finalizer),
    },
  };
}

const podIsDone = (pod: KubeObject) => ['Succeeded', 'Failed'].includes(pod.status?.phase);

/**
 * Kubernetes' pvc- and pv-protection controllers: a claim being deleted goes only once no running pod
 * mounts it (a user's server still holds its home volume), and a volume only once no claim is bound to it.
 */
export const storageProtection: Controller = (ctx) => {
  const pvcType = mustType(ctx, 'PersistentVolumeClaim');
  const pvType = mustType(ctx, 'PersistentVolume');
  let changed = 0;
  const deletedClaims = ctx.store
    .scan(pvcType)
    .filter((pvc) => pvc.metadata.deletionTimestamp && pvc.metadata.finalizers?.includes(pvcProtection));
  if (deletedClaims.length > 0) {
    const inUse = new Set(
      ctx.store
        .list(mustType(ctx, 'Pod'))
        .filter((pod) => !podIsDone(pod))
        .flatMap((pod) =>
          (pod.spec?.volumes ?? []).map(
            (volume: { persistentVolumeClaim?: { claimName: string } }) =>
              volume.persistentVolumeClaim?.claimName &&
              `${pod.metadata.namespace}/${volume.persistentVolumeClaim.claimName}`,
          ),
        ),
    );
    for (const pvc of deletedClaims) {
      if (!inUse.has(`${pvc.metadata.namespace}/${pvc.metadata.name}`))
        changed += updateIfChanged(ctx, pvcType, pvc, withoutFinalizer(pvc, pvcProtection));
    }
  }
  for (const pv of ctx.store.scan(pvType)) {
    if (pv.metadata.deletionTimestamp && pv.metadata.finalizers?.includes(pvProtection) && pv.status?.phase !== 'Bound')
      changed += updateIfChanged(ctx, pvType, pv, withoutFinalizer(pv, pvProtection));
  }
  return changed;
};
