import { describe, expect, it } from 'vitest';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from '../../../sandbox/kube/patches.js';

describe('patches', () => {
  it('merge patch: maps merge, null deletes, lists replace', () => {
    expect(jsonMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({
      a: { c: 2, d: 3 },
      l: [3],
    });
  });

  it('strategic merge: containers merge by name, $patch delete removes one', () => {
    const target = {
      spec: {
        containers: [
          { name: 'hub', image: 'a' },
          { name: 'side', image: 'b' },
        ],
      },
    };
    expect(strategicMergePatch(target, { spec: { containers: [{ name: 'hub', image: 'c' }] } })).toEqual({
      spec: {
        containers: [
          { name: 'hub', image: 'c' },
          { name: 'side', image: 'b' },
        ],
      },
    });
    expect(strategicMergePatch(target, { spec: { containers: [{ name: 'side', $patch: 'delete' }] } })).toEqual({
      spec: { containers: [{ name: 'hub', image: 'a' }] },
    });
  });

  it('strategic merge: an unknown list replaces, $setElementOrder is ignored', () => {
    expect(strategicMergePatch({ args: ['a'] }, { args: ['b'], '$setElementOrder/args': ['b'] })).toEqual({
      args: ['b'],
    });
  });

  it('JSON patch: add, replace, remove, test', () => {
    const out = jsonPatch({ spec: { claimRef: { name: 'x' }, list: [1] } }, [
      { op: 'test', path: '/spec/claimRef/name', value: 'x' },
      { op: 'remove', path: '/spec/claimRef' },
      { op: 'add', path: '/spec/list/-', value: 2 },
      { op: 'replace', path: '/spec/policy', value: 'Retain' },
    ]);
    expect(out).toEqual({ spec: { list: [1, 2], policy: 'Retain' } });
    expect(() => jsonPatch({}, [{ op: 'remove', path: '/nope' }])).toThrow('path /nope does not exist');
  });
});
