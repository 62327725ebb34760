import {
  appliedFields,
  fieldPaths,
  printPath,
  removeAbandoned,
  valueAt,
  withoutPaths,
  type FieldsV1,
} from './field-sets.js';
import { StoreError, type KubeObject } from './object-store.js';
import { strategicMergePatch } from './patches.js';

interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: FieldsV1;
}

/** The managedFields entry an apply leaves for its manager. */
function applyEntry(manager: string, apiVersion: string, fields: FieldsV1): ManagedFieldsEntry {
  return {
    manager,
    operation: 'Apply',
    apiVersion,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
}

/** A new object made by an apply: it records the applier's fields. */
export function applyCreate(config: KubeObject, manager: string): KubeObject {
  return {
    ...config,
    metadata: { ...config.metadata, managedFields: [applyEntry(manager, config.apiVersion, appliedFields(config))] },
  };
}

const pathKey = (path: string[]) => path.join('\u0000');

/**
 * The fields this apply sets to another value than another applier gave them: refused with the API
 * server's 409 and its words, or with force taken over (removed from the other managers' sets).
 */
function resolveConflicts(
  live: KubeObject,
  config: KubeObject,
  fields: FieldsV1,
  entries: ManagedFieldsEntry[],
  mine: ManagedFieldsEntry | undefined,
  force: boolean,
): ManagedFieldsEntry[] {
  const wanted = new Map(
    fieldPaths(fields)
      .filter((path) => !path.at(-1)!.startsWith('k:'))
      .map((path) => [pathKey(path), path]),
  );
  const conflicts: { manager: string; path: string[] }[] = [];
  for (const entry of entries) {
    if (entry === mine || entry.operation !== 'Apply') continue;
    for (const path of fieldPaths(entry.fieldsV1 ?? {})) {
      if (!wanted.has(pathKey(path))) continue;
      if (JSON.stringify(valueAt(live, path)) !== JSON.stringify(valueAt(config, path)))
        conflicts.push({ manager: entry.manager, path });
    }
  }
  if (conflicts.length === 0) return entries;
  if (!force) {
    const causes = conflicts.map((conflict) => ({
      type: 'FieldManagerConflict',
      message: `conflict with ${JSON.stringify(conflict.manager)}`,
      field: printPath(conflict.path),
    }));
    const message =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: conflict with ${JSON.stringify(conflicts[0]!.manager)}: ${printPath(conflicts[0]!.path)}`
        : `Apply failed with ${conflicts.length} conflicts: ${[
            ...new Set(conflicts.map((conflict) => conflict.manager)),
          ]
            .map(
              (manager) =>
                `conflicts with ${JSON.stringify(manager)}:\n${conflicts
                  .filter((conflict) => conflict.manager === manager)
                  .map((conflict) => `- ${printPath(conflict.path)}`)
                  .join('\n')}`,
            )
            .join('\n')}`;
    throw new StoreError(409, 'Conflict', message, { causes });
  }
  // A manager left owning nothing is dropped, as the API server drops it.
  return entries.flatMap((entry) => {
    const taken = conflicts
      .filter((conflict) => conflict.manager === entry.manager && entry !== mine)
      .map((conflict) => conflict.path);
    if (!taken.length) return [entry];
    const left = withoutPaths(entry.fieldsV1 ?? {}, taken);
    return Object.keys(left).length ? [{ ...entry, fieldsV1: left }] : [];
  });
}

/**
 * Server-side apply onto a live object: a field another applier set to another value is a conflict
 * (409) unless forced; the fields this manager applied before and no longer does, and that no other
 * applier owns, are removed; then the configuration is merged in and the manager's field set replaced.
 */
export function applyUpdate(live: KubeObject, config: KubeObject, manager: string, force = false): KubeObject {
  const fields = appliedFields(config);
  const current: ManagedFieldsEntry[] = live.metadata.managedFields ?? [];
  const entries = resolveConflicts(
    live,
    config,
    fields,
    current,
    current.find((entry) => entry.manager === manager && entry.operation === 'Apply'),
    force,
  );
  const mine = entries.find((entry) => entry.manager === manager && entry.operation === 'Apply');
  const others = entries
    .filter((entry) => entry !== mine && entry.operation === 'Apply')
    .map((entry) => entry.fieldsV1 ?? {});
  const pruned = mine?.fieldsV1 ? (removeAbandoned(live, mine.fieldsV1, fields, others) as KubeObject) : live;
  const merged = strategicMergePatch(pruned, config);
  const unchanged = mine && JSON.stringify(mine.fieldsV1) === JSON.stringify(fields);
  const entry = unchanged ? mine : applyEntry(manager, config.apiVersion ?? live.apiVersion, fields);
  return {
    ...merged,
    metadata: { ...merged.metadata, managedFields: [...entries.filter((each) => each !== mine), entry] },
  };
}
