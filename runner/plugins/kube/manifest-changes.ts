import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { FileDiff } from '../../plugin-contract/contract.js';

type KubeObject = Record<string, any>;

/** Kinds whose pod template, when changed, makes their controller replace every pod. */
const podOwners = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

const keyOf = (object: KubeObject) =>
  [object['kind'], object['metadata']?.namespace, object['metadata']?.name].filter(Boolean).join(' ');

/** The objects of a rendered manifest (`helm template`, `helm get manifest` and `helm get hooks`), keyed by kind and name. */
export function manifestObjects(text: string): Map<string, KubeObject> {
  const objects = new Map<string, KubeObject>();
  for (const document of parseAllDocuments(text, { uniqueKeys: false })) {
    if (!('contents' in document)) continue;
    const object = document.toJS() as unknown;
    if (!object || typeof object !== 'object' || Array.isArray(object)) continue;
    const kube = object as KubeObject;
    if (typeof kube['kind'] !== 'string' || typeof kube['metadata']?.name !== 'string') continue;
    objects.set(keyOf(kube), kube);
  }
  return objects;
}

/** A Secret's values never show: each is a marker, which says only whether it changes. */
function maskSecret(object: KubeObject, other: KubeObject | undefined, side: 'before' | 'after'): KubeObject {
  if (object['kind'] !== 'Secret') return object;
  const masked = { ...object };
  for (const field of ['data', 'stringData']) {
    const values = object[field];
    if (!values || typeof values !== 'object') continue;
    masked[field] = Object.fromEntries(
      Object.entries(values as Record<string, unknown>).map(([key, value]) => {
        const changed = side === 'after' && other?.[field]?.[key] !== undefined && other[field][key] !== value;
        return [key, changed ? '(masked, changed)' : '(masked)'];
      }),
    );
  }
  return masked;
}

/**
 * Labels that only follow the chart's version (`chart: jupyterhub-4.2.0`): every object carries one, so
 * each is made equal and the change is said once instead of as a change of every object.
 */
function followsVersion(before: unknown, after: unknown, from: string, to: string): boolean {
  return (
    typeof before === 'string' &&
    typeof after === 'string' &&
    from !== to &&
    before.includes(from) &&
    after === before.split(from).join(to)
  );
}

function withVersionLabels(before: KubeObject, after: KubeObject, from: string, to: string): [KubeObject, number] {
  let count = 0;
  const settle = (old: unknown, now: unknown): unknown => {
    if (!old || typeof old !== 'object' || !now || typeof now !== 'object' || Array.isArray(old)) return old;
    const copy: Record<string, unknown> = { ...(old as Record<string, unknown>) };
    for (const [key, value] of Object.entries(copy)) {
      const next = (now as Record<string, unknown>)[key];
      if (key === 'labels' && value && typeof value === 'object' && next && typeof next === 'object') {
        const labels = { ...(value as Record<string, unknown>) };
        for (const [name, label] of Object.entries(labels)) {
          if (!followsVersion(label, (next as Record<string, unknown>)[name], from, to)) continue;
          labels[name] = (next as Record<string, unknown>)[name];
          count += 1;
        }
        copy[key] = labels;
      } else copy[key] = settle(value, next);
    }
    return copy;
  };
  return [settle(before, after) as KubeObject, count];
}

export interface ManifestChanges {
  added: string[];
  removed: string[];
  changed: string[];
  /** What a person must see first: pods replaced, objects deleted, claims touched. */
  warnings: string[];
  /** The counts, and the labels that only follow the chart's version. */
  summary: string;
  /** The two manifests as kubectl lists, masked: the diff summary describes each object that differs field by field. */
  diff: FileDiff;
}

/**
 * What upgrading a release from its live manifest to a new rendering changes in the cluster, object
 * by object. `chart` is the versions before and after, so labels that only carry the version are said once.
 */
export function manifestChanges(
  live: Map<string, KubeObject>,
  rendered: Map<string, KubeObject>,
  release: string,
  chart: { from: string; to: string },
): ManifestChanges {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  const replacesPods: string[] = [];
  const claims: string[] = [];
  const beforeItems: KubeObject[] = [];
  const afterItems: KubeObject[] = [];
  let versionLabels = 0;
  for (const [key, now] of rendered) {
    const old = live.get(key);
    if (!old) {
      added.push(key);
      if (now['kind'] === 'PersistentVolumeClaim') claims.push(`${key} is created`);
      afterItems.push(maskSecret(now, undefined, 'after'));
      continue;
    }
    const [settled, labels] = withVersionLabels(old, now, chart.from, chart.to);
    versionLabels += labels;
    beforeItems.push(maskSecret(settled, now, 'before'));
    afterItems.push(maskSecret(now, settled, 'after'));
    if (isDeepStrictEqual(settled, now)) continue;
    changed.push(key);
    if (podOwners.has(String(now['kind'])) && !isDeepStrictEqual(settled['spec']?.template, now['spec']?.template))
      replacesPods.push(key);
    if (now['kind'] === 'PersistentVolumeClaim') claims.push(`${key} changes`);
    if (!isDeepStrictEqual(settled['spec']?.volumeClaimTemplates, now['spec']?.volumeClaimTemplates))
      claims.push(`${key}'s volume claim templates change`);
  }
  for (const [key, old] of live) {
    if (rendered.has(key)) continue;
    removed.push(key);
    if (old['kind'] === 'PersistentVolumeClaim') claims.push(`${key} is deleted`);
    beforeItems.push(maskSecret(old, undefined, 'before'));
  }
  const warnings = [
    ...(replacesPods.length ? [`replaces the pods of ${replacesPods.join(', ')} (their pod template changes)`] : []),
    ...(removed.length ? [`deletes ${removed.join(', ')}`] : []),
    ...(claims.length ? [`touches claims: ${claims.join('; ')}`] : []),
  ];
  const summary = `${added.length} added, ${changed.length} changed, ${removed.length} removed, ${rendered.size - added.length - changed.length} unchanged`;
  return {
    added,
    removed,
    changed,
    warnings,
    summary: `objects of ${release}: ${summary}${versionLabels ? `; the labels naming the chart version (${chart.from} → ${chart.to}) change on every object` : ''}`,
    diff: {
      path: `manifest of release ${release}`,
      before: stringify({ items: beforeItems }, { sortMapEntries: true }),
      after: stringify({ items: afterItems }, { sortMapEntries: true }),
    },
  };
}
