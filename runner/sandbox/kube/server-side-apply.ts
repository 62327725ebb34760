import { appliedFields, removeAbandoned, type FieldsV1 } from './field-sets.js';
import type { KubeObject } from './object-store.js';
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
  return { manager, operation: 'Apply', apiVersion, time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), fieldsType: 'FieldsV1', fieldsV1: fields };
}

/** A new object made by an apply: it records the applier's fields. */
export function applyCreate(config: KubeObject, manager: string): KubeObject {
  return { ...config, metadata: { ...config.metadata, managedFields: [applyEntry(manager, config.apiVersion, appliedFields(config))] } };
}

/**
 * Server-side apply onto a live object: the fields this manager applied before and no longer does,
 * and that no other applier owns, are removed; then the configuration is merged in and the manager's
 * field set replaced. (Conflicts with other managers are not checked.)
 */
export function applyUpdate(live: KubeObject, config: KubeObject, manager: string): KubeObject {
  const entries: ManagedFieldsEntry[] = live.metadata.managedFields ?? [];
  const mine = entries.find((entry) => entry.manager === manager && entry.operation === 'Apply');
  const others = entries.filter((entry) => entry !== mine && entry.operation === 'Apply').map((entry) => entry.fieldsV1 ?? {});
  const fields = appliedFields(config);
  const pruned = mine?.fieldsV1 ? (removeAbandoned(live, mine.fieldsV1, fields, others) as KubeObject) : live;
  const merged = strategicMergePatch(pruned, config);
  const unchanged = mine && JSON.stringify(mine.fieldsV1) === JSON.stringify(fields);
  const entry = unchanged ? mine : applyEntry(manager, config.apiVersion ?? live.apiVersion, fields);
  return { ...merged, metadata: { ...merged.metadata, managedFields: [...entries.filter((each) => each !== mine), entry] } };
}
