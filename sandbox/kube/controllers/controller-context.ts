import type { VolumeBackend } from '../../cloud/volume-backend.js';
import type { KubeObject, ObjectStore } from '../object-store.js';
import type { ResourceType } from '../resource-catalog.js';
import type { WorkloadBehaviour } from '../workload-behaviour.js';

/** What a controller may read and change; `types` grows when CRDs are registered. */
export interface ControllerContext {
  store: ObjectStore;
  types: ResourceType[];
  volumes: VolumeBackend;
  /** The address the cloud gives a LoadBalancer Service; undefined where the site has no load-balancer provider. */
  loadBalancerAddress?: () => string | undefined;
  /** Whether the site's registry has an image; undefined: every image pulls. */
  imageAvailable?: (image: string) => boolean;
  /** How long Jobs run and which workloads fail; undefined: Jobs complete at once and every probe passes. */
  workloads?: WorkloadBehaviour;
  /** Asks for another pass in `ms`, for what changes with time alone (a Job that finishes). */
  wakeAfter?: (ms: number) => void;
}

/** One reconcile pass over the whole store; returns how many objects it changed. */
export type Controller = (ctx: ControllerContext) => number;

export function typeOf(ctx: ControllerContext, kind: string, group?: string): ResourceType | undefined {
  return ctx.types.find((type) => type.kind === kind && (group === undefined || type.group === group));
}

export function mustType(ctx: ControllerContext, kind: string): ResourceType {
  const found = typeOf(ctx, kind);
  if (!found) throw new Error(`the simulator serves no ${kind}`);
  return found;
}

/** Writes the object only when it differs, so converged controllers emit nothing. */
export function updateIfChanged(
  ctx: ControllerContext,
  type: ResourceType,
  current: KubeObject,
  next: KubeObject,
): number {
  if (JSON.stringify(current) === JSON.stringify(next)) return 0;
  ctx.store.update(type, current.metadata.namespace, next);
  return 1;
}

export function randomSuffix(length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}

export function ownerReference(owner: KubeObject): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function ownedBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some(
    (reference: { uid: string }) => reference.uid === owner.metadata.uid,
  );
}

export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
