import type { KubeObject } from '../object-store.js';
import type { ResourceType } from '../resource-catalog.js';
import { mustType, timestamp, updateIfChanged, type Controller } from './controller-context.js';

export interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: object; scale?: object };
}

/** The kind one version of a CustomResourceDefinition serves. */
export function crdResourceType(crd: KubeObject, version: CrdVersion): ResourceType {
  const { group, names, scope } = crd.spec;
  return {
    group,
    version: version.name,
    kind: names.kind,
    plural: names.plural,
    singular: names.singular ?? String(names.kind).toLowerCase(),
    namespaced: scope !== 'Cluster',
    shortNames: names.shortNames ?? [],
    subresources: version.subresources?.status ? ['status'] : [],
    custom: true,
  };
}

/** Serves the kinds of every CustomResourceDefinition (the cert-manager kinds) and marks it Established, which helm waits for. */
export const crdRegistrar: Controller = (ctx) => {
  const crdType = mustType(ctx, 'CustomResourceDefinition');
  let changed = 0;
  const defined = new Set<string>();
  for (const crd of ctx.store.list(crdType)) {
    const spec = crd.spec ?? {};
    const names = spec.names ?? {};
    for (const version of (spec.versions ?? []) as CrdVersion[]) {
      if (version.served === false) continue;
      const key = `${spec.group}/${version.name}/${names.plural}`;
      defined.add(key);
      if (ctx.types.some((type) => `${type.group}/${type.version}/${type.plural}` === key)) continue;
      ctx.types.push(crdResourceType(crd, version));
      changed += 1;
    }
    const conditions = [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
      {
        type: 'Established',
        status: 'True',
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ].map((condition) => ({
      ...condition,
      lastTransitionTime:
        crd.status?.conditions?.find((before: { type: string }) => before.type === condition.type)
          ?.lastTransitionTime ?? timestamp(),
    }));
    const storedVersions = ((spec.versions ?? []) as CrdVersion[])
      .filter((version) => version.storage)
      .map((version) => version.name);
    changed += updateIfChanged(ctx, crdType, crd, {
      ...crd,
      status: { acceptedNames: names, conditions, storedVersions },
    });
  }
  for (let index = ctx.types.length - 1; index >= 0; index -= 1) {
    const type = ctx.types[index]!;
    if (!type.custom || defined.has(`${type.group}/${type.version}/${type.plural}`)) continue;
    for (const object of ctx.store.list(type)) ctx.store.delete(type, object.metadata.namespace, object.metadata.name);
    ctx.types.splice(index, 1);
    changed += 1;
  }
  return changed;
};
