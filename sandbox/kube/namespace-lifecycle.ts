import type { ObjectStore, KubeObject } from './object-store.js';
import { HttpError } from './http-error.js';
import type { ResourceType } from './resource-catalog.js';

export interface NamespaceLifecycle {
  /** Refuses content for a namespace that does not exist (404) or is being terminated (403). */
  require(namespace: string | undefined): void;
  /** Starts deleting a namespace: Terminating at once, its contents and itself shortly after. */
  terminate(name: string): KubeObject;
  /** Cancels terminations still to come, when the server closes. */
  stop(): void;
}

/** The namespaces every cluster starts with, made when the store has none of them. */
function createDefaultNamespaces(store: ObjectStore, namespaceType: ResourceType): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    if (!store.find(namespaceType, undefined, name))
      store.create(namespaceType, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
  }
}

/** The namespace controller's part the API server needs: what may be created where, and how a namespace goes. */
export function namespaceLifecycle(
  store: ObjectStore,
  types: readonly ResourceType[],
  terminationMs = 1000,
): NamespaceLifecycle {
  const namespaceType = types.find((type) => type.kind === 'Namespace')!;
  createDefaultNamespaces(store, namespaceType);
  const pendingTimers = new Set<NodeJS.Timeout>();
  const later = (work: () => void, ms: number) => {
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      work();
    }, ms);
    pendingTimers.add(timer);
  };

  /** Like the namespace controller: the namespace is Terminating at once, its contents and itself go shortly after. */
  function terminateNamespace(name: string): KubeObject {
    const current = store.get(namespaceType, undefined, name);
    const terminating = store.update(namespaceType, undefined, {
      ...current,
      metadata: { ...current.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
      status: { phase: 'Terminating' },
    });
    const removeContents = () => {
      let left = 0;
      for (const type of types.filter((candidate) => candidate.namespaced)) {
        for (const object of store.list(type, name)) {
          store.delete(type, name, object.metadata.name);
          if (store.find(type, name, object.metadata.name)) left += 1;
        }
      }
      // Contents their finalizers keep (a claim a pod still mounts) hold the namespace in Terminating.
      if (left > 0) return later(removeContents, 200);
      if (store.find(namespaceType, undefined, name)) store.delete(namespaceType, undefined, name);
    };
    later(removeContents, terminationMs);
    return terminating;
  }

  return {
    require(namespace: string | undefined): void {
      if (namespace === undefined) return;
      const found = store.find(namespaceType, undefined, namespace);
      if (!found) throw new HttpError(404, 'NotFound', `namespaces "${namespace}" not found`);
      if (found.status?.phase === 'Terminating') {
        throw new HttpError(
          403,
          'Forbidden',
          `unable to create new content in namespace ${namespace} because it is being terminated`,
        );
      }
    },
    terminate: terminateNamespace,
    stop() {
      for (const timer of pendingTimers) clearTimeout(timer);
    },
  };
}
