import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../../sandbox/kube/object-store.js';
import { resourceTypesOf } from '../../../sandbox/kube/resource-catalog.js';

const types = resourceTypesOf(33);
// A kind with no finalizers by default: a delete removes the object at once.
const maps = types.find((type) => type.kind === 'ConfigMap')!;
const names = (objects: readonly { metadata: Record<string, unknown> }[]) =>
  objects.map((object) => `${String(object.metadata['namespace'])}/${String(object.metadata['name'])}`);

function storeWith(...keys: string[]) {
  const store = new ObjectStore();
  for (const key of keys) {
    const [namespace, name] = key.split('/') as [string, string];
    store.create(maps, namespace, { metadata: { name }, data: {} });
  }
  return store;
}

describe('ObjectStore lists', () => {
  it('orders by namespace and name byte by byte, as the real server lists them, and keeps the order as objects come and go', () => {
    const store = storeWith('jhub/claim-b', 'grading/claim-z', 'jhub/Claim-A', 'jhub/claim-a', 'jhub-2/claim-a');
    expect(names(store.list(maps))).toEqual([
      'grading/claim-z',
      'jhub-2/claim-a',
      'jhub/Claim-A',
      'jhub/claim-a',
      'jhub/claim-b',
    ]);
    expect(names(store.list(maps, 'jhub'))).toEqual(['jhub/Claim-A', 'jhub/claim-a', 'jhub/claim-b']);
    store.create(maps, 'jhub', { metadata: { name: 'claim-aa' }, data: {} });
    store.delete(maps, 'jhub', 'claim-b');
    expect(names(store.list(maps, 'jhub'))).toEqual(['jhub/Claim-A', 'jhub/claim-a', 'jhub/claim-aa']);
    expect(names(store.list(maps, 'jhu'))).toEqual([]);
  });

  it('gives copies from list and the stored objects from scan, which an update replaces rather than changes', () => {
    const store = storeWith('jhub/claim-a');
    const [copy] = store.list(maps);
    copy!.data.volume = 'changed by the reader';
    expect(store.get(maps, 'jhub', 'claim-a').data.volume).toBeUndefined();
    const [stored] = store.scan(maps);
    expect(store.scan(maps, 'jhub')[0]).toBe(stored);
    store.update(maps, 'jhub', { ...store.get(maps, 'jhub', 'claim-a'), data: { volume: 'pv-1' } });
    expect(stored!.data.volume).toBeUndefined();
    expect(store.scan(maps)[0]!.data.volume).toBe('pv-1');
  });
});
