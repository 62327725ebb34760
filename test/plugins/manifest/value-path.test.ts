import { describe, expect, it } from 'vitest';
import { parseValuePath } from '../../../runner/plugins/manifest/value-path.js';

describe('parseValuePath', () => {
  it('splits dots, indexes and quoted keys holding dots or slashes', () => {
    expect(parseValuePath('spec.claimRef')).toEqual(['spec', 'claimRef']);
    expect(parseValuePath('items[2].metadata.name')).toEqual(['items', 2, 'metadata', 'name']);
    expect(parseValuePath('metadata.annotations["pv.kubernetes.io/bound-by-controller"]')).toEqual([
      'metadata',
      'annotations',
      'pv.kubernetes.io/bound-by-controller',
    ]);
    expect(parseValuePath("a['b.c']")).toEqual(['a', 'b.c']);
  });

  it('takes a list of keys as it is', () => {
    expect(parseValuePath(['a.b', 0])).toEqual(['a.b', 0]);
  });

  it('refuses what it cannot parse, saying where', () => {
    expect(() => parseValuePath('a["b')).toThrow("cannot parse path 'a[\"b' at character 2");
    expect(() => parseValuePath('')).toThrow('empty path');
  });
});
