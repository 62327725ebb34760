import { gibibytes } from '../../cloud/volume-backend.js';
import type { KubeObject } from '../object-store.js';
import { mustType, timestamp, updateIfChanged, type Controller, type ControllerContext } from './controller-context.js';

const defaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';

/** The Cinder volume behind a PV: CSI era or in-tree era. */
export function volumeIdOf(pv: KubeObject): string | undefined {
  return pv.spec?.csi?.volumeHandle ?? pv.spec?.cinder?.volumeID;
}

function requestedGi(pvc: KubeObject): number {
  return gibibytes(pvc.spec?.resources?.requests?.storage);
}

function claimKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function bindPair(ctx: ControllerContext, pv: KubeObject, pvc: KubeObject, chosenByController: boolean): number {
  const pvType = mustType(ctx, 'PersistentVolume');
  const pvcType = mustType(ctx, 'PersistentVolumeClaim');
  const boundPv = structuredClone(pv);
  boundPv.spec.claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: pvc.metadata.name, namespace: pvc.metadata.namespace, resourceVersion: pvc.metadata.resourceVersion, uid: pvc.metadata.uid };
  if (chosenByController && !pv.spec.claimRef) boundPv.metadata.annotations = { ...boundPv.metadata.annotations, 'pv.kubernetes.io/bound-by-controller': 'yes' };
  boundPv.status = { phase: 'Bound' };
  let changed = updateIfChanged(ctx, pvType, pv, boundPv);
  const current = ctx.store.get(pvcType, pvc.metadata.namespace, pvc.metadata.name);
  const boundPvc = structuredClone(current);
  boundPvc.spec.volumeName = pv.metadata.name;
  boundPvc.metadata.annotations = {
    ...boundPvc.metadata.annotations,
    'pv.kubernetes.io/bind-completed': 'yes',
    ...(chosenByController && !pvc.spec.volumeName ? { 'pv.kubernetes.io/bound-by-controller': 'yes' } : {}),
  };
  boundPvc.status = { phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity };
  changed += updateIfChanged(ctx, pvcType, current, boundPvc);
  return changed;
}

/** Like the event the real PV controller records, once, so `kubectl describe` explains a claim stuck in Pending. */
function recordEvent(ctx: ControllerContext, pvc: KubeObject, reason: string, message: string): number {
  const eventType = mustType(ctx, 'Event');
  const name = `${pvc.metadata.name}.${reason.toLowerCase()}`;
  if (ctx.store.find(eventType, pvc.metadata.namespace, name)) return 0;
  ctx.store.create(eventType, pvc.metadata.namespace, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: pvc.metadata.namespace },
    involvedObject: { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1' },
    reason,
    message,
    type: 'Warning',
    source: { component: 'persistentvolume-controller' },
    firstTimestamp: timestamp(),
    lastTimestamp: timestamp(),
    count: 1,
  });
  return 1;
}

function provision(ctx: ControllerContext, pvc: KubeObject, storageClass: KubeObject): number {
  const name = `pvc-${pvc.metadata.uid}`;
  const size = requestedGi(pvc);
  const volume = ctx.volumes.create(`kubernetes-dynamic-${name}`, size);
  const pv = ctx.store.create(mustType(ctx, 'PersistentVolume'), undefined, {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': storageClass.provisioner }, finalizers: ['kubernetes.io/pv-protection'] },
    spec: {
      accessModes: pvc.spec.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: `${size}Gi` },
      csi: { driver: storageClass.provisioner, fsType: 'ext4', volumeHandle: volume.id, volumeAttributes: { 'storage.kubernetes.io/csiProvisionerIdentity': 'sandbox-cinder-csi' } },
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      storageClassName: storageClass.metadata.name,
      volumeMode: 'Filesystem',
    },
  });
  const pvcType = mustType(ctx, 'PersistentVolumeClaim');
  const current = ctx.store.get(pvcType, pvc.metadata.namespace, pvc.metadata.name);
  const annotated = structuredClone(current);
  annotated.metadata.annotations = { ...annotated.metadata.annotations, 'volume.kubernetes.io/storage-provisioner': storageClass.provisioner, 'volume.beta.kubernetes.io/storage-provisioner': storageClass.provisioner };
  updateIfChanged(ctx, pvcType, current, annotated);
  return 1 + bindPair(ctx, pv, ctx.store.get(pvcType, pvc.metadata.namespace, pvc.metadata.name), true);
}

/**
 * The persistent-volume controller: binds claims (by `spec.volumeName`, a matching free PV, or a
 * newly provisioned Cinder volume), marks a PV whose claim is gone or has another uid Released,
 * and applies its reclaim policy (Delete removes the PV and the cloud volume, Retain keeps both).
 */
export const volumeBinder: Controller = (ctx) => {
  const pvType = mustType(ctx, 'PersistentVolume');
  const pvcType = mustType(ctx, 'PersistentVolumeClaim');
  const classes = ctx.store.list(mustType(ctx, 'StorageClass'));
  const defaultClass = classes.find((item) => item.metadata.annotations?.[defaultClassAnnotation] === 'true');
  let changed = 0;

  const claims = new Map(ctx.store.list(pvcType).map((pvc) => [claimKey(pvc.metadata.namespace, pvc.metadata.name), pvc]));
  for (const pv of ctx.store.list(pvType)) {
    const ref = pv.spec?.claimRef;
    const claim = ref ? claims.get(claimKey(ref.namespace, ref.name)) : undefined;
    if (ref?.uid && (!claim || claim.metadata.uid !== ref.uid)) {
      if (pv.spec.persistentVolumeReclaimPolicy === 'Delete') {
        if (pv.metadata.deletionTimestamp) continue;
        const volumeId = volumeIdOf(pv);
        if (volumeId) ctx.volumes.delete(volumeId);
        // Released first, as the real controller leaves it, so pv-protection lets the deletion finish.
        updateIfChanged(ctx, pvType, pv, { ...pv, status: { phase: 'Released' } });
        ctx.store.delete(pvType, undefined, pv.metadata.name);
        changed += 1;
      } else if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') {
        changed += updateIfChanged(ctx, pvType, pv, { ...pv, status: { phase: 'Released' } });
      }
      continue;
    }
    if (ref?.uid && claim) {
      if (pv.status?.phase !== 'Bound') changed += updateIfChanged(ctx, pvType, pv, { ...pv, status: { phase: 'Bound' } });
      continue;
    }
    if (pv.status?.phase !== 'Available') changed += updateIfChanged(ctx, pvType, pv, { ...pv, status: { phase: 'Available' } });
  }

  const volumes = new Map(ctx.store.list(pvType).map((pv) => [pv.metadata.name, pv]));
  const taken = new Set<string>();
  for (const pvc of ctx.store.list(pvcType)) {
    if (pvc.metadata.deletionTimestamp) continue;
    if (pvc.status?.phase === 'Bound') {
      const pv = volumes.get(pvc.spec.volumeName);
      if (!pv) changed += updateIfChanged(ctx, pvcType, pvc, { ...pvc, status: { ...pvc.status, phase: 'Lost' } });
      continue;
    }
    if (pvc.status?.phase === 'Lost') continue;
    if (pvc.spec.storageClassName === undefined && defaultClass && !pvc.spec.volumeName) {
      changed += updateIfChanged(ctx, pvcType, pvc, { ...pvc, spec: { ...pvc.spec, storageClassName: defaultClass.metadata.name } });
      continue;
    }
    if (pvc.spec.volumeName) {
      const pv = volumes.get(pvc.spec.volumeName);
      if (!pv) continue;
      const ref = pv.spec.claimRef;
      const ours = !ref || (ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name && (!ref.uid || ref.uid === pvc.metadata.uid));
      if (ours) changed += bindPair(ctx, pv, pvc, false);
      else changed += recordEvent(ctx, pvc, 'FailedBinding', 'two claims are bound to the same volume, this one is bound incorrectly');
      continue;
    }
    const preBound = [...volumes.values()].find((pv) => pv.spec.claimRef && !pv.spec.claimRef.uid && pv.spec.claimRef.namespace === pvc.metadata.namespace && pv.spec.claimRef.name === pvc.metadata.name);
    if (preBound) {
      changed += bindPair(ctx, preBound, pvc, false);
      continue;
    }
    const wanted = requestedGi(pvc);
    const free = [...volumes.values()]
      .filter((pv) => !pv.spec.claimRef && !taken.has(pv.metadata.name) && (pv.spec.storageClassName ?? '') === (pvc.spec.storageClassName ?? '') && gibibytes(pv.spec.capacity?.storage) >= wanted)
      .sort((a, b) => gibibytes(a.spec.capacity?.storage) - gibibytes(b.spec.capacity?.storage))[0];
    if (free) {
      taken.add(free.metadata.name);
      changed += bindPair(ctx, free, pvc, true);
      continue;
    }
    const storageClass = classes.find((item) => item.metadata.name === pvc.spec.storageClassName);
    if (storageClass?.provisioner && storageClass.volumeBindingMode !== 'WaitForFirstConsumer') changed += provision(ctx, pvc, storageClass);
  }
  return changed;
};
