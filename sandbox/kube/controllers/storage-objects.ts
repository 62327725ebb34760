import { gibibytes } from '../../cloud/volume-backend.js';
import type { KubeObject } from '../object-store.js';
import { mustType, timestamp, type ControllerContext } from './controller-context.js';

/** The annotations the real persistent-volume controller, scheduler and provisioners read and write. */
export const storageAnnotations = {
  bindCompleted: 'pv.kubernetes.io/bind-completed',
  boundByController: 'pv.kubernetes.io/bound-by-controller',
  provisionedBy: 'pv.kubernetes.io/provisioned-by',
  selectedNode: 'volume.kubernetes.io/selected-node',
  storageProvisioner: 'volume.kubernetes.io/storage-provisioner',
  betaStorageProvisioner: 'volume.beta.kubernetes.io/storage-provisioner',
  defaultClass: 'storageclass.kubernetes.io/is-default-class',
} as const;

/** Cinder's CSI driver, and the in-tree plugin whose volumes CSI migration now serves. */
export const cinderProvisioners = new Set(['cinder.csi.openstack.org', 'kubernetes.io/cinder']);

/** The topology label Cinder CSI puts on nodes and on the node affinity of the volumes it creates. */
export const cinderZoneLabel = 'topology.cinder.csi.openstack.org/zone';

/** The Cinder volume behind a PV: CSI era or in-tree era. */
export function volumeIdOf(pv: KubeObject): string | undefined {
  return pv.spec?.csi?.volumeHandle ?? pv.spec?.cinder?.volumeID;
}

export function hasAnnotation(object: KubeObject, name: string): boolean {
  return object.metadata.annotations?.[name] !== undefined;
}

export function claimKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The class a claim asks for; the empty string is "no class", as in the real API. */
export function classOfClaim(pvc: KubeObject): string {
  return pvc.spec?.storageClassName ?? '';
}

export function classOfVolume(pv: KubeObject): string {
  return pv.spec?.storageClassName ?? '';
}

export function requestedGi(pvc: KubeObject): number {
  return gibibytes(pvc.spec?.resources?.requests?.storage);
}

export function capacityGi(pv: KubeObject): number {
  return gibibytes(pv.spec?.capacity?.storage);
}

/** The real IsVolumeBoundToClaim: the claimRef names this claim, and its uid is this claim's or not yet set. */
export function isVolumeBoundToClaim(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== pvc.metadata.name || ref.namespace !== pvc.metadata.namespace) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/** Every access mode the claim asks for is one the volume offers. */
export function offersAccessModes(pv: KubeObject, pvc: KubeObject): boolean {
  const offered = new Set<string>(pv.spec?.accessModes ?? []);
  return ((pvc.spec?.accessModes ?? []) as string[]).every((mode) => offered.has(mode));
}

export function storageClassNamed(ctx: ControllerContext, name: string): KubeObject | undefined {
  if (!name) return undefined;
  return ctx.store.find(mustType(ctx, 'StorageClass'), undefined, name);
}

/** WaitForFirstConsumer: the claim is bound (or provisioned) only once a pod using it is scheduled. */
export function delaysBinding(ctx: ControllerContext, pvc: KubeObject): boolean {
  return storageClassNamed(ctx, classOfClaim(pvc))?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** A volume's required node affinity holds for this node (only `In` and `Exists`, which Cinder CSI writes). */
export function nodeAffinityAllows(pv: KubeObject, node: KubeObject): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms as
    { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] | undefined;
  if (!terms || terms.length === 0) return true;
  const labels: Record<string, string> = node.metadata.labels ?? {};
  return terms.some((term) =>
    (term.matchExpressions ?? []).every((expression) => {
      const value = labels[expression.key];
      if (expression.operator === 'In') return value !== undefined && (expression.values ?? []).includes(value);
      if (expression.operator === 'NotIn') return value === undefined || !(expression.values ?? []).includes(value);
      if (expression.operator === 'Exists') return value !== undefined;
      if (expression.operator === 'DoesNotExist') return value === undefined;
      return false;
    }),
  );
}

/** An event on an object, as `kubectl describe` shows it; recorded once per reason and message. */
export function recordEvent(
  ctx: ControllerContext,
  object: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  component = 'persistentvolume-controller',
): number {
  const eventType = mustType(ctx, 'Event');
  const namespace = object.metadata.namespace ?? 'default';
  const name = `${object.metadata.name}.${reason.toLowerCase()}.${hashOf(message)}`;
  if (ctx.store.find(eventType, namespace, name)) return 0;
  ctx.store.create(eventType, namespace, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: {
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      uid: object.metadata.uid,
      apiVersion: object.apiVersion,
    },
    reason,
    message,
    type,
    source: { component },
    firstTimestamp: timestamp(),
    lastTimestamp: timestamp(),
    count: 1,
  });
  return 1;
}

function hashOf(text: string): string {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return (hash >>> 0).toString(36);
}
