import type { KubeObject } from '../object-store.js';
import type { ResourceType } from '../resource-catalog.js';
import { mustType, updateIfChanged, type Controller, type ControllerContext } from './controller-context.js';
import { deleteProvisionedVolume } from './volume-deleter.js';
import {
  capacityGi,
  cinderProvisioners,
  claimKey,
  classOfClaim,
  classOfVolume,
  delaysBinding,
  hasAnnotation,
  isVolumeBoundToClaim,
  offersAccessModes,
  recordEvent,
  requestedGi,
  storageAnnotations as ann,
  storageClassNamed,
} from './storage-objects.js';

export { volumeIdOf } from './storage-objects.js';

interface Kinds {
  pv: ResourceType;
  pvc: ResourceType;
}

function withPhase(object: KubeObject, phase: string): KubeObject {
  return { ...object, status: { ...object.status, phase } };
}

/** Writes a volume's phase; one already in it is left without a copy, as every volume is looked at each pass. */
function setPhase(ctx: ControllerContext, kinds: Kinds, pv: KubeObject, phase: string): number {
  return pv.status?.phase === phase ? 0 : updateIfChanged(ctx, kinds.pv, pv, withPhase(pv, phase));
}

function withoutAnnotation(metadata: KubeObject['metadata'], name: string): KubeObject['metadata'] {
  const { [name]: _removed, ...annotations } = metadata.annotations ?? {};
  return { ...metadata, annotations };
}

/** Whether bind() would write nothing: the volume and the claim already record each other, both Bound. */
function bindingIsCurrent(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = pv.spec.claimRef;
  return (
    ref?.uid === pvc.metadata.uid &&
    ref.name === pvc.metadata.name &&
    ref.namespace === pvc.metadata.namespace &&
    pv.status?.phase === 'Bound' &&
    pvc.spec.volumeName === pv.metadata.name &&
    pvc.metadata.annotations?.[ann.bindCompleted] === 'yes' &&
    JSON.stringify(pvc.status) ===
      JSON.stringify({ phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity })
  );
}

/** The real bind(): the volume records the claim (and its uid), the claim the volume, both Bound. */
function bind(ctx: ControllerContext, kinds: Kinds, pv: KubeObject, pvc: KubeObject): number {
  // Every bound claim comes here at every pass: one that is already bound costs no copies.
  if (bindingIsCurrent(pv, pvc)) return 0;
  const boundPv = structuredClone(pv);
  const ref = pv.spec.claimRef;
  if (
    !ref ||
    ref.uid !== pvc.metadata.uid ||
    ref.name !== pvc.metadata.name ||
    ref.namespace !== pvc.metadata.namespace
  ) {
    if (!isVolumeBoundToClaim(pv, pvc))
      boundPv.metadata.annotations = { ...boundPv.metadata.annotations, [ann.boundByController]: 'yes' };
    boundPv.spec.claimRef = {
      kind: 'PersistentVolumeClaim',
      namespace: pvc.metadata.namespace,
      name: pvc.metadata.name,
      uid: pvc.metadata.uid,
      apiVersion: 'v1',
      resourceVersion: pvc.metadata.resourceVersion,
    };
  }
  let changed = updateIfChanged(ctx, kinds.pv, pv, withPhase(boundPv, 'Bound'));
  const current = ctx.store.get(kinds.pvc, pvc.metadata.namespace, pvc.metadata.name);
  const boundPvc = structuredClone(current);
  if (boundPvc.spec.volumeName !== pv.metadata.name) {
    if (!boundPvc.spec.volumeName)
      boundPvc.metadata.annotations = { ...boundPvc.metadata.annotations, [ann.boundByController]: 'yes' };
    boundPvc.spec.volumeName = pv.metadata.name;
  }
  boundPvc.metadata.annotations = { ...boundPvc.metadata.annotations, [ann.bindCompleted]: 'yes' };
  boundPvc.status = { phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity };
  changed += updateIfChanged(ctx, kinds.pvc, current, boundPvc);
  return changed;
}

/** Delete: the Cinder volume and the PV go, when a provisioner that can delete made it; Retain keeps both. */
function reclaim(ctx: ControllerContext, kinds: Kinds, pv: KubeObject): number {
  let changed = 0;
  if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') changed += setPhase(ctx, kinds, pv, 'Released');
  if (pv.spec.persistentVolumeReclaimPolicy !== 'Delete') return changed;
  const current = ctx.store.get(kinds.pv, undefined, pv.metadata.name);
  if (
    !cinderProvisioners.has(current.metadata.annotations?.[ann.provisionedBy] ?? '') &&
    !cinderProvisioners.has(current.spec?.csi?.driver ?? '')
  ) {
    const message = `error getting deleter volume plugin for volume "${pv.metadata.name}": no deletable volume plugin matched`;
    changed += recordEvent(ctx, current, 'Warning', 'VolumeFailedDelete', message);
    return changed + updateIfChanged(ctx, kinds.pv, current, { ...current, status: { phase: 'Failed', message } });
  }
  return changed + deleteProvisionedVolume(ctx, kinds.pv, current);
}

/** The real unbindVolume: a volume the controller chose is freed; one a user pre-bound stays pre-bound, without the uid. */
function unbind(ctx: ControllerContext, kinds: Kinds, pv: KubeObject): number {
  const next = structuredClone(pv);
  if (hasAnnotation(pv, ann.boundByController)) {
    delete next.spec.claimRef;
    next.metadata = withoutAnnotation(next.metadata, ann.boundByController);
  } else {
    const { uid: _uid, resourceVersion: _version, ...ref } = next.spec.claimRef;
    next.spec.claimRef = ref;
  }
  return updateIfChanged(ctx, kinds.pv, pv, withPhase(next, 'Available'));
}

/** syncVolume of Kubernetes' persistent-volume controller, branch for branch. */
function syncVolume(ctx: ControllerContext, kinds: Kinds, pv: KubeObject, claims: Map<string, KubeObject>): number {
  const ref = pv.spec?.claimRef;
  if (!ref || !ref.uid) return setPhase(ctx, kinds, pv, 'Available');
  let claim = claims.get(claimKey(ref.namespace, ref.name));
  if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
  if (!claim) return reclaim(ctx, kinds, pv);
  if (!claim.spec.volumeName) return 0;
  if (claim.spec.volumeName === pv.metadata.name) return setPhase(ctx, kinds, pv, 'Bound');
  // The claim was bound to another volume: a volume provisioned for it is deleted, as the real controller does.
  if (hasAnnotation(pv, ann.provisionedBy) && pv.spec.persistentVolumeReclaimPolicy === 'Delete')
    return reclaim(ctx, kinds, pv);
  return unbind(ctx, kinds, pv);
}

/** The volumes of one pass, by name and by the claim they are reserved for, kept current as the pass binds. */
export class VolumeIndex {
  private readonly byName = new Map<string, KubeObject>();
  private readonly byClaim = new Map<string, KubeObject[]>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly type: ResourceType,
    listed?: readonly KubeObject[],
  ) {
    for (const pv of listed ?? ctx.store.scan(type)) this.put(pv);
  }

  private put(pv: KubeObject): void {
    this.byName.set(pv.metadata.name, pv);
    const ref = pv.spec?.claimRef;
    if (ref)
      this.byClaim.set(claimKey(ref.namespace, ref.name), [
        ...(this.byClaim.get(claimKey(ref.namespace, ref.name)) ?? []),
        pv,
      ]);
  }

  get(name: string): KubeObject | undefined {
    return this.byName.get(name);
  }

  /** Volumes whose claimRef names this claim. */
  reservedFor(pvc: KubeObject): KubeObject[] {
    return (this.byClaim.get(claimKey(pvc.metadata.namespace, pvc.metadata.name)) ?? []).filter(
      (pv) => this.byName.get(pv.metadata.name) === pv,
    );
  }

  unreserved(): KubeObject[] {
    return [...this.byName.values()].filter((pv) => !pv.spec?.claimRef);
  }

  /** Reads a volume again after this pass wrote it. */
  refresh(name: string): void {
    const pv = this.ctx.store.find(this.type, undefined, name);
    if (pv) this.put(pv);
    else this.byName.delete(name);
  }
}

function fits(pv: KubeObject, pvc: KubeObject): boolean {
  if (capacityGi(pv) < requestedGi(pvc) || pv.metadata.deletionTimestamp || !offersAccessModes(pv, pvc)) return false;
  return (pv.spec.volumeMode ?? 'Filesystem') === (pvc.spec.volumeMode ?? 'Filesystem');
}

/** findMatchingVolume: a volume pre-bound to this claim first; else the smallest free one of the claim's class, unless binding waits for a pod. */
export function bestVolumeFor(
  pvc: KubeObject,
  volumes: VolumeIndex,
  delayBinding: boolean,
  accept: (pv: KubeObject) => boolean = () => true,
): KubeObject | undefined {
  const reserved = volumes.reservedFor(pvc).find((pv) => fits(pv, pvc) && isVolumeBoundToClaim(pv, pvc));
  if (reserved) return accept(reserved) ? reserved : undefined;
  if (delayBinding) return undefined;
  let smallest: KubeObject | undefined;
  for (const pv of volumes.unreserved()) {
    if (!fits(pv, pvc) || pv.status?.phase !== 'Available' || classOfVolume(pv) !== classOfClaim(pvc) || !accept(pv))
      continue;
    if (!smallest || capacityGi(pv) < capacityGi(smallest)) smallest = pv;
  }
  return smallest;
}

/** Why a requested volume cannot serve the claim (checkVolumeSatisfyClaim), or undefined when it can. */
function mismatch(pv: KubeObject, pvc: KubeObject): string | undefined {
  if (capacityGi(pv) < requestedGi(pvc)) return 'requested PV is too small';
  if (classOfVolume(pv) !== classOfClaim(pvc)) return 'storageClassName does not match';
  if ((pv.spec.volumeMode ?? 'Filesystem') !== (pvc.spec.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
  if (!offersAccessModes(pv, pvc)) return 'incompatible accessMode';
  return undefined;
}

function pending(ctx: ControllerContext, kinds: Kinds, pvc: KubeObject): number {
  return updateIfChanged(ctx, kinds.pvc, pvc, { ...pvc, status: { phase: 'Pending' } });
}

/** An external provisioner (Cinder CSI) creates the volume; the controller only says which one should. */
function provisionClaim(ctx: ControllerContext, kinds: Kinds, pvc: KubeObject): number {
  const className = classOfClaim(pvc);
  const storageClass = storageClassNamed(ctx, className);
  if (!storageClass)
    return (
      recordEvent(ctx, pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`) +
      pending(ctx, kinds, pvc)
    );
  const provisioner = String(storageClass.provisioner);
  if (pvc.metadata.annotations?.[ann.storageProvisioner] === provisioner) return pending(ctx, kinds, pvc);
  const annotated = {
    ...pvc,
    metadata: {
      ...pvc.metadata,
      annotations: {
        ...pvc.metadata.annotations,
        [ann.storageProvisioner]: provisioner,
        [ann.betaStorageProvisioner]: provisioner,
      },
    },
    status: { phase: 'Pending' },
  };
  const message = `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;
  return (
    updateIfChanged(ctx, kinds.pvc, pvc, annotated) + recordEvent(ctx, pvc, 'Normal', 'ExternalProvisioning', message)
  );
}

/** syncUnboundClaim: a claim that never completed binding. */
function syncUnboundClaim(ctx: ControllerContext, kinds: Kinds, pvc: KubeObject, volumes: VolumeIndex): number {
  if (!pvc.spec.volumeName) {
    const delay = delaysBinding(ctx, pvc);
    const match = bestVolumeFor(pvc, volumes, delay);
    if (match) return bind(ctx, kinds, match, pvc);
    if (delay && !hasAnnotation(pvc, ann.selectedNode)) {
      return (
        recordEvent(
          ctx,
          pvc,
          'Normal',
          'WaitForFirstConsumer',
          'waiting for first consumer to be created before binding',
        ) + pending(ctx, kinds, pvc)
      );
    }
    if (classOfClaim(pvc) !== '') return provisionClaim(ctx, kinds, pvc);
    return (
      recordEvent(
        ctx,
        pvc,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      ) + pending(ctx, kinds, pvc)
    );
  }
  const pv = volumes.get(pvc.spec.volumeName);
  if (!pv) return pending(ctx, kinds, pvc);
  if (!pv.spec.claimRef || isVolumeBoundToClaim(pv, pvc)) {
    const why = mismatch(pv, pvc);
    if (why)
      return (
        recordEvent(
          ctx,
          pvc,
          'Warning',
          'VolumeMismatch',
          `Cannot bind to requested volume "${pv.metadata.name}": ${why}`,
        ) + pending(ctx, kinds, pvc)
      );
    return bind(ctx, kinds, pv, pvc);
  }
  if (hasAnnotation(pvc, ann.boundByController)) return 0;
  return (
    recordEvent(
      ctx,
      pvc,
      'Warning',
      'FailedBinding',
      `volume "${pv.metadata.name}" already bound to a different claim.`,
    ) + pending(ctx, kinds, pvc)
  );
}

function lost(ctx: ControllerContext, kinds: Kinds, pvc: KubeObject, reason: string, message: string): number {
  const changed = updateIfChanged(ctx, kinds.pvc, pvc, { ...pvc, status: { phase: 'Lost' } });
  return changed + recordEvent(ctx, pvc, 'Warning', reason, message);
}

/** syncBoundClaim: a claim whose binding completed once (`pv.kubernetes.io/bind-completed`), even if restored from a backup. */
function syncBoundClaim(ctx: ControllerContext, kinds: Kinds, pvc: KubeObject, volumes: VolumeIndex): number {
  if (!pvc.spec.volumeName)
    return lost(
      ctx,
      kinds,
      pvc,
      'ClaimLost',
      'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
    );
  const pv = volumes.get(pvc.spec.volumeName);
  if (!pv)
    return lost(ctx, kinds, pvc, 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  if (!pv.spec.claimRef || pv.spec.claimRef.uid === pvc.metadata.uid) return bind(ctx, kinds, pv, pvc);
  return lost(
    ctx,
    kinds,
    pvc,
    'ClaimMisbound',
    'Two claims are bound to the same volume, this one is bound incorrectly',
  );
}

/**
 * Kubernetes' persistent-volume controller: volumes are synced (Available, Bound, Released and
 * reclaimed, or unbound when their claim went elsewhere), then claims: a pre-bound volume binds only
 * its named claim, a free volume of the claim's class is taken before one is provisioned (except
 * under WaitForFirstConsumer, where the scheduler decides), and a restored claim that still says it
 * completed binding is Lost when its volume records another uid.
 */
export const volumeBinder: Controller = (ctx) => {
  const kinds = { pv: mustType(ctx, 'PersistentVolume'), pvc: mustType(ctx, 'PersistentVolumeClaim') };
  let changed = 0;
  // Read without copies: every change below is made on a copy and written through the store.
  const claims = new Map(
    ctx.store.scan(kinds.pvc).map((pvc) => [claimKey(pvc.metadata.namespace, pvc.metadata.name), pvc]),
  );
  const listed = ctx.store.scan(kinds.pv);
  for (const pv of listed) changed += syncVolume(ctx, kinds, pv, claims);
  // The volumes as the claims must see them: read again only when syncing them changed any.
  const volumes = new VolumeIndex(ctx, kinds.pv, changed ? undefined : listed);
  for (const pvc of claims.values()) {
    if (pvc.metadata.deletionTimestamp) continue;
    const touched = (pvc.spec.volumeName as string | undefined) ?? volumes.reservedFor(pvc)[0]?.metadata.name;
    const step = hasAnnotation(pvc, ann.bindCompleted)
      ? syncBoundClaim(ctx, kinds, pvc, volumes)
      : syncUnboundClaim(ctx, kinds, pvc, volumes);
    if (step > 0) {
      // A bind wrote the volume (the claim's own, or a free one it took): later claims must see it taken.
      const claim = ctx.store.find(kinds.pvc, pvc.metadata.namespace, pvc.metadata.name);
      for (const name of new Set([touched, claim?.spec?.volumeName].filter(Boolean) as string[])) volumes.refresh(name);
    }
    changed += step;
  }
  return changed;
};
