import { describe, expect, it } from 'vitest';
import { compilePredicate } from '../../../runner/plugins/manifest/predicate.js';

const object = {
  kind: 'PersistentVolume',
  metadata: { name: 'pvc-1', labels: { app: 'jupyterhub' } },
  spec: { claimRef: { name: 'claim-alice', namespace: 'jhub' } },
};

function read(path: (string | number)[]) {
  let current: unknown = object;
  for (const key of path) {
    if (!current || typeof current !== 'object' || !(key in current)) return { present: false, value: undefined };
    current = (current as Record<string, unknown>)[key];
  }
  return { present: true, value: current };
}

describe('compilePredicate', () => {
  it('tests equals, not_equals, in, not_in, matches and exists', () => {
    expect(compilePredicate({ path: 'kind', equals: 'PersistentVolume' })(read)).toBe(true);
    expect(compilePredicate({ path: 'kind', not_equals: 'PersistentVolume' })(read)).toBe(false);
    expect(compilePredicate({ path: 'spec.claimRef.namespace', in: ['jhub', 'other'] })(read)).toBe(true);
    expect(compilePredicate({ path: 'spec.claimRef.namespace', not_in: ['jhub'] })(read)).toBe(false);
    expect(compilePredicate({ path: 'spec.claimRef.name', matches: '^claim-' })(read)).toBe(true);
    expect(compilePredicate({ path: 'spec.volumeName', exists: false })(read)).toBe(true);
    expect(compilePredicate({ path: 'metadata.labels', equals: { app: 'jupyterhub' } })(read)).toBe(true);
  });

  it('needs every condition of a list to hold', () => {
    expect(
      compilePredicate([
        { path: 'kind', equals: 'PersistentVolume' },
        { path: 'spec.claimRef.name', equals: 'hub-db-dir' },
      ])(read),
    ).toBe(false);
  });

  it('treats a bare path as "exists" and an absent value as unequal', () => {
    expect(compilePredicate({ path: 'spec.claimRef' })(read)).toBe(true);
    expect(compilePredicate({ path: 'spec.nothing', not_equals: 'x' })(read)).toBe(true);
    expect(compilePredicate({ path: 'spec.nothing', equals: null })(read)).toBe(false);
  });
});
