import type { KubeObject } from '../object-store.js';
import { mustType, ownerReference, type ControllerContext } from './controller-context.js';

/** A pod from a workload's template, owned by the workload (so it goes with it), on the node given if any. */
export function newPod(
  ctx: ControllerContext,
  owner: KubeObject,
  template: KubeObject,
  name: string,
  nodeName: string | undefined,
): number {
  const podType = mustType(ctx, 'Pod');
  ctx.store.create(podType, owner.metadata.namespace, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...template.metadata,
      name,
      namespace: owner.metadata.namespace,
      ownerReferences: [ownerReference(owner)],
    },
    spec: { ...template.spec, ...(nodeName ? { nodeName } : {}) },
  });
  return 1;
}
