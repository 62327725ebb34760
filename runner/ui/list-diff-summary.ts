import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import type { FileDiff } from '../plugin-contract/contract.js';

type Item = Record<string, any>;

/** The items of a kubectl list (JSON or YAML), keyed by kind, namespace and name; undefined for anything else. */
function listItems(text: string | undefined): Map<string, Item> | undefined {
  if (text === undefined) return new Map();
  const json = /^\s*[{[]/.test(text);
  // Only a list is summarised: other YAML (a 100 MB values file) is not parsed at all.
  if (!json && !/^items:/m.test(text)) return undefined;
  let value: any;
  try {
    value = json ? JSON.parse(text) : parse(text, { uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || !Array.isArray(value.items)) return undefined;
  const items = new Map<string, Item>();
  for (const item of value.items) {
    if (!item || typeof item !== 'object' || typeof item.metadata?.name !== 'string') return undefined;
    items.set([item.kind ?? 'item', item.metadata.namespace, item.metadata.name].filter(Boolean).join(' '), item);
  }
  return items;
}

const bookkeeping = new Set([
  'metadata.managedFields',
  'metadata.resourceVersion',
  'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]',
]);
const step = (path: string, key: string) =>
  /^[A-Za-z_][\w-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}["${key}"]`;
const plain = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
// A digest (a checksum annotation) says nothing to a person: it is said to change, not shown.
const shown = (value: unknown) =>
  plain(value) && String(value).length <= 80 && !/^[0-9a-f]{32,}$/.test(String(value))
    ? JSON.stringify(value)
    : undefined;

/** Each field that differs, as a person says it: `spec.claimRef.uid removed`, `spec.persistentVolumeReclaimPolicy "Delete" → "Retain"`. */
export function fieldChanges(before: unknown, after: unknown, path = ''): string[] {
  if (bookkeeping.has(path) || isDeepStrictEqual(before, after)) return [];
  const isMap = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isMap(before) && isMap(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((key) => {
      const at = step(path, key);
      if (bookkeeping.has(at)) return [];
      if (!(key in after)) return [`${at} removed`];
      if (!(key in before)) return [`${at} added${shown(after[key]) ? ` (${shown(after[key])})` : ''}`];
      return fieldChanges(before[key], after[key], at);
    });
  }
  // Containers, ports, volumes, env: lists of named items are compared item by item, by name.
  const named = (value: unknown): value is Record<string, unknown>[] =>
    Array.isArray(value) &&
    value.every((item) => isMap(item) && typeof item['name'] === 'string') &&
    new Set(value.map((item) => item['name'])).size === value.length;
  if (named(before) && named(after)) {
    const byName = (list: Record<string, unknown>[]) => new Map(list.map((item) => [String(item['name']), item]));
    const [old, now] = [byName(before), byName(after)];
    return [...new Set([...old.keys(), ...now.keys()])].flatMap((name) => {
      const at = `${path}[${name}]`;
      if (!now.has(name)) return [`${at} removed`];
      if (!old.has(name)) return [`${at} added`];
      return fieldChanges(old.get(name), now.get(name), at);
    });
  }
  const from = shown(before);
  const to = shown(after);
  return [from !== undefined && to !== undefined ? `${path} ${from} → ${to}` : `${path} changed`];
}

/** At most this many items are described one by one; the file holds the rest. */
const describedItems = 20;
const describedFields = 4;

/**
 * For a kubectl list written or edited item by item: one line per item that is added, dropped or
 * changed (naming the fields), instead of hundreds of `+` lines. Undefined when the texts are not lists.
 */
export function listDiffSummary(diff: FileDiff): string[] | undefined {
  if (diff.patch !== undefined) return undefined;
  const before = listItems(diff.before);
  const after = listItems(diff.after);
  if (!before || !after || before.size + after.size === 0) return undefined;
  const lines: string[] = [];
  let unchanged = 0;
  const counts = { added: 0, changed: 0, dropped: 0 };
  for (const [key, item] of after) {
    const old = before.get(key);
    if (!old) {
      counts.added++;
      lines.push(`+ ${key}`);
      continue;
    }
    const fields = fieldChanges(old, item);
    if (fields.length === 0) unchanged++;
    else {
      counts.changed++;
      lines.push(
        `~ ${key}: ${fields.slice(0, describedFields).join(', ')}${fields.length > describedFields ? `, and ${fields.length - describedFields} more` : ''}`,
      );
    }
  }
  for (const key of before.keys()) {
    if (after.has(key)) continue;
    counts.dropped++;
    lines.push(`- ${key}`);
  }
  const header = `${diff.path}: ${after.size} item(s): ${counts.added} added, ${counts.changed} changed, ${counts.dropped} dropped, ${unchanged} unchanged`;
  const more = lines.length > describedItems ? [`… and ${lines.length - describedItems} more item(s)`] : [];
  return [header, ...lines.slice(0, describedItems), ...more];
}
