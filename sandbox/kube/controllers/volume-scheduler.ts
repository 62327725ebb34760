import { toleratesNode } from './taints.js';
import type { KubeObject } from '../object-store.js';
import { mustType, updateIfChanged, type Controller, type ControllerContext } from './controller-context.js';
import {
  delaysBinding,
  hasAnnotation,
  nodeAffinityAllows,
  storageAnnotations as ann,
  storageClassNamed,
  classOfClaim,
} from './storage-objects.js';
import { bestVolumeFor, VolumeIndex } from './volume-binder.js';

function hashCode(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return Math.abs(hash);
}

function claimNames(pod: KubeObject): string[] {
  return ((pod.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName: string } }[])
    .map((volume) => volume.persistentVolumeClaim?.claimName)
    .filter(Boolean) as string[];
}

/** Nodes a pod (its spec) may run on, in a stable order: those whose taints it tolerates (Kubespray taints the control plane). */
export function schedulableNodes(ctx: ControllerContext, podSpec?: KubeObject['spec']): KubeObject[] {
  return ctx.store.list(mustType(ctx, 'Node')).filter((node) => toleratesNode(podSpec, node));
}

/** The node for a pod: the first, from a point its name picks, that every volume it needs can reach. */
export function pickNode(
  pod: KubeObject,
  nodes: KubeObject[],
  fits: (node: KubeObject) => boolean,
): KubeObject | undefined {
  const start = hashCode(pod.metadata.name) % Math.max(nodes.length, 1);
  for (let offset = 0; offset < nodes.length; offset += 1) {
    const node = nodes[(start + offset) % nodes.length]!;
    if (fits(node)) return node;
  }
  return undefined;
}

/**
 * The scheduler's volume binding, for claims whose class waits for the first consumer: once a pod
 * that mounts them is to be placed, each gets a free matching volume the node can reach (an Available
 * PV that nobody has reserved, of the claim's class), or else is handed to the provisioner for that node.
 */
export const volumeScheduler: Controller = (ctx) => {
  const podType = mustType(ctx, 'Pod');
  const pvcType = mustType(ctx, 'PersistentVolumeClaim');
  const pvType = mustType(ctx, 'PersistentVolume');
  let changed = 0;
  for (const pod of ctx.store.list(podType)) {
    if (pod.spec?.nodeName || pod.metadata.deletionTimestamp || ['Succeeded', 'Failed'].includes(pod.status?.phase))
      continue;
    const claims = claimNames(pod).map((name) => ctx.store.find(pvcType, pod.metadata.namespace, name));
    if (claims.some((claim) => !claim)) continue;
    const waiting = (claims as KubeObject[]).filter(
      (claim) => claim.status?.phase !== 'Bound' && !claim.spec.volumeName && delaysBinding(ctx, claim),
    );
    if (waiting.length === 0) continue;
    const volumes = new VolumeIndex(ctx, pvType);
    const boundVolumes = (claims as KubeObject[])
      .map((claim) => (claim.spec.volumeName ? volumes.get(claim.spec.volumeName) : undefined))
      .filter(Boolean) as KubeObject[];
    const canServe = (claim: KubeObject, node: KubeObject) =>
      bestVolumeFor(claim, volumes, false, (pv) => nodeAffinityAllows(pv, node)) !== undefined ||
      Boolean(storageClassNamed(ctx, classOfClaim(claim))?.provisioner);
    const node = pickNode(
      pod,
      schedulableNodes(ctx, pod.spec),
      (candidate) =>
        boundVolumes.every((pv) => nodeAffinityAllows(pv, candidate)) &&
        waiting.every((claim) => canServe(claim, candidate)),
    );
    if (!node) continue;
    const taken = new Set<string>();
    for (const claim of waiting) {
      const match = bestVolumeFor(
        claim,
        volumes,
        false,
        (pv) => nodeAffinityAllows(pv, node) && !taken.has(pv.metadata.name),
      );
      if (match) {
        taken.add(match.metadata.name);
        const reserved = structuredClone(match);
        reserved.metadata.annotations = { ...reserved.metadata.annotations, [ann.boundByController]: 'yes' };
        reserved.spec.claimRef = {
          kind: 'PersistentVolumeClaim',
          namespace: claim.metadata.namespace,
          name: claim.metadata.name,
          uid: claim.metadata.uid,
          apiVersion: 'v1',
          resourceVersion: claim.metadata.resourceVersion,
        };
        changed += updateIfChanged(ctx, pvType, match, reserved);
      } else if (!hasAnnotation(claim, ann.selectedNode)) {
        changed += updateIfChanged(ctx, pvcType, claim, {
          ...claim,
          metadata: {
            ...claim.metadata,
            annotations: { ...claim.metadata.annotations, [ann.selectedNode]: node.metadata.name },
          },
        });
      }
    }
    changed += updateIfChanged(ctx, podType, pod, { ...pod, spec: { ...pod.spec, nodeName: node.metadata.name } });
  }
  return changed;
};
