import { describe, expect, it } from 'vitest';
import { fieldChanges, listDiffSummary } from '../../runner/ui/list-diff-summary.js';

const pv = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, resourceVersion: '5', annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } },
  spec: {
    persistentVolumeReclaimPolicy: 'Delete',
    claimRef: { name: `claim-${name}`, namespace: 'jhub', uid: `uid-${name}` },
  },
  ...extra,
});
const list = (items: object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);

describe('fieldChanges', () => {
  it('names each field a person would check, with short values, and skips server bookkeeping', () => {
    const before = pv('ada');
    const after = {
      ...pv('ada'),
      metadata: { name: 'ada', resourceVersion: '9', annotations: {} },
      spec: { persistentVolumeReclaimPolicy: 'Retain', claimRef: { name: 'claim-ada', namespace: 'jhub' } },
    };
    expect(fieldChanges(before, after)).toEqual([
      'metadata.annotations["pv.kubernetes.io/bound-by-controller"] removed',
      'spec.persistentVolumeReclaimPolicy "Delete" → "Retain"',
      'spec.claimRef.uid removed',
    ]);
  });
});

describe('listDiffSummary', () => {
  it('gives one line per item added, changed or dropped, with counts', () => {
    const before = list([pv('ada'), pv('bob'), pv('cy')]);
    const after = list([
      { ...pv('ada'), spec: { ...pv('ada').spec, persistentVolumeReclaimPolicy: 'Retain' } },
      pv('bob'),
      pv('dee'),
    ]);
    expect(listDiffSummary({ path: 'pv.json', before, after })).toEqual([
      'pv.json: 3 item(s): 1 added, 1 changed, 1 dropped, 1 unchanged',
      '~ PersistentVolume ada: spec.persistentVolumeReclaimPolicy "Delete" → "Retain"',
      '+ PersistentVolume dee',
      '- PersistentVolume cy',
    ]);
  });

  it('summarises a new file of a thousand items in a few lines', () => {
    const after = list(Array.from({ length: 1000 }, (_, index) => pv(`user${index}`)));
    const lines = listDiffSummary({ path: 'pv-restore.json', before: undefined, after })!;
    expect(lines[0]).toBe('pv-restore.json: 1000 item(s): 1000 added, 0 changed, 0 dropped, 0 unchanged');
    expect(lines).toHaveLength(22);
    expect(lines.at(-1)).toBe('… and 980 more item(s)');
  });

  it('reads YAML lists too, and leaves anything that is not a list to the line diff', () => {
    expect(
      listDiffSummary({
        path: 'pv.yaml',
        before: 'items: []\n',
        after: 'items:\n- kind: PersistentVolume\n  metadata: {name: a}\n',
      }),
    ).toEqual(['pv.yaml: 1 item(s): 1 added, 0 changed, 0 dropped, 0 unchanged', '+ PersistentVolume a']);
    expect(listDiffSummary({ path: 'values.yaml', before: 'a: 1\n', after: 'a: 2\n' })).toBeUndefined();
    expect(listDiffSummary({ path: 'x', before: undefined, after: undefined, patch: '+a' })).toBeUndefined();
    expect(listDiffSummary({ path: 'broken', before: '{', after: '{}' })).toBeUndefined();
  });
});
