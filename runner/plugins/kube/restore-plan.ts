import { PlanError } from '../../plugin-contract/plan-error.js';
import { cloudVolumeId, type VolumeObject } from './namespace-volumes.js';

/** Annotations the binder, the scheduler, provisioners and kubectl set: on a new cluster they would lie. */
export const bindingAnnotations = [
  'pv.kubernetes.io/bound-by-controller',
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/provisioned-by',
  'volume.kubernetes.io/selected-node',
  'volume.beta.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/storage-provisioner',
  'kubectl.kubernetes.io/last-applied-configuration',
];

/** Metadata the API server sets, or controllers manage (finalizers), that a new object must not carry. */
const serverMetadata = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'selfLink',
  'managedFields',
  'generation',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'finalizers',
  'ownerReferences',
];

export type RestoredKind = 'user' | 'released' | 'earlier';

export interface RestoredVolume {
  claim: string;
  volume: string;
  cloud_volume: string | undefined;
  /** user: the claim is in the backup; released: its user was deleted (no claim); earlier: the claim uses another volume now. */
  kind: RestoredKind;
}

export interface LeftOut {
  volume?: string;
  claim?: string;
  reason: string;
}

export interface RestorePlan {
  volumes: Record<string, any>[];
  claims: Record<string, any>[];
  restored: RestoredVolume[];
  leftOut: LeftOut[];
}

export interface RestoreOptions {
  namespace: string;
  /** Claim names left out, with the volumes bound to them (hub-db-dir: the chart makes a new one). */
  skip: ReadonlySet<string>;
  /** Volumes whose claim the backup does not hold: pre-bound to that claim's name, or left out. */
  released: 'restore' | 'skip';
}

function cleanMetadata(metadata: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) if (!serverMetadata.includes(key)) out[key] = value;
  if (out['annotations']) {
    const annotations = Object.fromEntries(
      Object.entries(out['annotations'] as Record<string, string>).filter(
        ([name]) => !bindingAnnotations.includes(name),
      ),
    );
    if (Object.keys(annotations).length > 0) out['annotations'] = annotations;
    else delete out['annotations'];
  }
  return out;
}

/** A volume reserved for exactly one claim, by name: Velero's restore. No uid, so the claim made anew binds it, and no other claim can. */
export function preBoundVolume(pv: Record<string, any>): Record<string, any> {
  const { status: _status, ...rest } = pv;
  const { uid: _uid, resourceVersion: _version, fieldPath: _fieldPath, ...claimRef } = pv['spec'].claimRef;
  return {
    ...rest,
    metadata: cleanMetadata(pv['metadata']),
    spec: { ...pv['spec'], claimRef, persistentVolumeReclaimPolicy: 'Retain' },
  };
}

/** A claim that names its volume and class: the default class of the new cluster must not be put in its place. */
export function restoredClaim(pvc: Record<string, any>, volume: Record<string, any>): Record<string, any> {
  const { status: _status, ...rest } = pvc;
  const spec = { ...pvc['spec'] };
  if (spec.storageClassName === undefined) spec.storageClassName = volume['spec']?.storageClassName ?? '';
  return { ...rest, metadata: cleanMetadata(pvc['metadata']), spec };
}

/**
 * Decides, volume by volume, what comes back on the new cluster: every volume of the namespace is
 * pre-bound to the claim it belonged to (its user's, or a deleted user's by name), the claims name
 * their volumes, and everything else (other namespaces, skipped claims, unbound volumes) is named as
 * left out. Refuses a backup whose claims and volumes disagree.
 */
export function planRestore(
  volumes: Record<string, any>[],
  claims: Record<string, any>[],
  options: RestoreOptions,
): RestorePlan {
  const ours = claims.filter((claim) => (claim['metadata']?.namespace ?? options.namespace) === options.namespace);
  const claimByName = new Map(ours.map((claim) => [String(claim['metadata']?.name), claim]));
  const plan: RestorePlan = { volumes: [], claims: [], restored: [], leftOut: [] };
  const restoredByName = new Map<string, Record<string, any>>();
  for (const pv of volumes) {
    const name = String(pv['metadata']?.name);
    const ref = pv['spec']?.claimRef;
    if (!ref?.name) {
      plan.leftOut.push({ volume: name, reason: 'bound to no claim' });
      continue;
    }
    if ((ref.namespace ?? '') !== options.namespace) {
      plan.leftOut.push({
        volume: name,
        claim: `${ref.namespace}/${ref.name}`,
        reason: `belongs to namespace ${ref.namespace}, which this restore does not touch`,
      });
      continue;
    }
    if (options.skip.has(ref.name)) {
      plan.leftOut.push({ volume: name, claim: ref.name, reason: 'its claim is in the skip list' });
      continue;
    }
    const claim = claimByName.get(ref.name);
    const kind: RestoredKind = !claim ? 'released' : claim['spec']?.volumeName === name ? 'user' : 'earlier';
    if (kind !== 'user' && options.released === 'skip') {
      plan.leftOut.push({
        volume: name,
        claim: ref.name,
        reason:
          kind === 'released'
            ? 'its claim is gone (a deleted user) and released volumes are skipped'
            : 'an earlier volume of a claim that uses another one now, and released volumes are skipped',
      });
      continue;
    }
    const restored = preBoundVolume(pv);
    plan.volumes.push(restored);
    restoredByName.set(name, restored);
    plan.restored.push({ claim: ref.name, volume: name, cloud_volume: cloudVolumeId(pv as VolumeObject), kind });
  }
  for (const claim of ours) {
    const name = String(claim['metadata']?.name);
    const volumeName = claim['spec']?.volumeName as string | undefined;
    if (options.skip.has(name)) {
      if (!plan.leftOut.some((entry) => entry.claim === name))
        plan.leftOut.push({ claim: name, ...(volumeName ? { volume: volumeName } : {}), reason: 'in the skip list' });
      continue;
    }
    if (!volumeName) {
      plan.leftOut.push({
        claim: name,
        reason: `${claim['status']?.phase ?? 'Pending'} and bound to no volume: nothing to restore`,
      });
      continue;
    }
    const volume = restoredByName.get(volumeName);
    if (!volume || volume['spec']?.claimRef?.name !== name) {
      throw new PlanError(
        `claim ${name} names volume ${volumeName}, which the backup does not hold bound to it: this backup cannot give ${name} its volume back`,
      );
    }
    plan.claims.push(restoredClaim(claim, volume));
  }
  const handles = new Map<string, string>();
  for (const entry of plan.restored) {
    if (!entry.cloud_volume) continue;
    const other = handles.get(entry.cloud_volume);
    if (other)
      throw new PlanError(
        `volumes ${other} and ${entry.volume} both point at cloud volume ${entry.cloud_volume}: restoring both would give one disk to two claims`,
      );
    handles.set(entry.cloud_volume, entry.volume);
  }
  return plan;
}

/** One line per volume, as a person checks a restore: which claim gets which volume, and which disk that is. */
export function describeRestore(plan: RestorePlan): string[] {
  const what: Record<RestoredKind, string> = {
    user: 'pre-bound to its claim',
    released: 'pre-bound to the claim of a deleted user, kept for their return',
    earlier: 'pre-bound to a claim that uses another volume now',
  };
  return [
    ...plan.restored.map(
      (entry) =>
        `${entry.claim} <- ${entry.volume} (cloud volume ${entry.cloud_volume ?? 'unknown'}): ${what[entry.kind]}`,
    ),
    ...plan.leftOut.map(
      (entry) =>
        `left out: ${[entry.volume, entry.claim && `(${entry.claim})`].filter(Boolean).join(' ')}: ${entry.reason}`,
    ),
  ];
}
