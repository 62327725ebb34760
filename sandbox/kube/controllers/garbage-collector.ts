import type { Controller } from './controller-context.js';

/** Background cascading deletion: an object whose controlling owner is gone goes too (ReplicaSets, Pods, Jobs' pods). */
export const garbageCollector: Controller = (ctx) => {
  const everything = ctx.types
    .filter((type) => type.kind !== 'Event')
    .map((type) => ({ type, objects: ctx.store.scan(type) }));
  const alive = new Set(everything.flatMap(({ objects }) => objects.map((object) => object.metadata.uid as string)));
  let changed = 0;
  for (const { type, objects } of everything) {
    for (const object of objects) {
      const owners = (object.metadata.ownerReferences ?? []) as { uid: string }[];
      if (owners.length === 0 || owners.some((owner) => alive.has(owner.uid))) continue;
      ctx.store.delete(type, object.metadata.namespace, object.metadata.name);
      changed += 1;
    }
  }
  return changed;
};
