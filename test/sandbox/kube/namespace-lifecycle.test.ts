import { describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../../sandbox/kube/http-error.js';
import { namespaceLifecycle } from '../../../sandbox/kube/namespace-lifecycle.js';
import { ObjectStore } from '../../../sandbox/kube/object-store.js';
import { resourceTypesOf } from '../../../sandbox/kube/resource-catalog.js';

const types = resourceTypesOf(33);
const kind = (name: string) => types.find((type) => type.kind === name)!;

function cluster() {
  const store = new ObjectStore();
  const namespaces = namespaceLifecycle(store, types, 50);
  store.create(kind('Namespace'), undefined, { metadata: { name: 'jhub' }, spec: { finalizers: ['kubernetes'] } });
  return { store, namespaces };
}

const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error as HttpError;
  }
  return undefined;
};

describe('the namespace lifecycle', () => {
  it('starts with the namespaces every cluster has', () => {
    const { store } = cluster();
    const names = store.list(kind('Namespace')).map((namespace) => namespace.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
  });

  it('refuses content for a namespace that does not exist (404) or is being terminated (403)', () => {
    const { namespaces } = cluster();
    expect(refusal(() => namespaces.require('jhub'))).toBeUndefined();
    expect(refusal(() => namespaces.require('nowhere'))).toMatchObject({ code: 404 });
    namespaces.terminate('jhub');
    expect(refusal(() => namespaces.require('jhub'))).toMatchObject({
      code: 403,
      message: 'unable to create new content in namespace jhub because it is being terminated',
    });
    namespaces.stop();
  });

  it('removes the contents, then the namespace; a claim its finalizer keeps holds the namespace until it goes', async () => {
    const { store, namespaces } = cluster();
    const claim = kind('PersistentVolumeClaim');
    store.create(claim, 'jhub', {
      metadata: { name: 'claim-a', finalizers: ['kubernetes.io/pvc-protection'] },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    store.create(kind('ConfigMap'), 'jhub', { metadata: { name: 'settings' } });
    expect(namespaces.terminate('jhub').status.phase).toBe('Terminating');
    await vi.waitFor(() => expect(store.find(kind('ConfigMap'), 'jhub', 'settings')).toBeUndefined());
    expect(store.find(kind('Namespace'), undefined, 'jhub')).toBeDefined();
    const held = store.get(claim, 'jhub', 'claim-a');
    store.update(claim, 'jhub', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    await vi.waitFor(() => expect(store.find(kind('Namespace'), undefined, 'jhub')).toBeUndefined());
  });

  it('stops what it would still remove when the server closes', () => {
    vi.useFakeTimers();
    try {
      const { store, namespaces } = cluster();
      store.create(kind('ConfigMap'), 'jhub', { metadata: { name: 'settings' } });
      namespaces.terminate('jhub');
      namespaces.stop();
      vi.advanceTimersByTime(10_000);
      expect(store.find(kind('ConfigMap'), 'jhub', 'settings')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
