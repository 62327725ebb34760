import { randomUUID } from 'node:crypto';
import { apiVersionOf, type ResourceType } from './resource-catalog.js';
import { withServerDefaults, withWorkloadDefaults } from './server-defaults.js';
import { withServiceAllocations } from './service-allocations.js';

export type KubeObject = Record<string, any> & { metadata: Record<string, any> };

export interface StoreChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  object: KubeObject;
}

const historyLimit = 5000;

export class StoreError extends Error {
  constructor(
    readonly code: 400 | 404 | 409 | 422,
    readonly reason: 'BadRequest' | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid',
    message: string,
    /** The Status object's `details`: the object's name and kind, and for Invalid the fields at fault. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function keyOf(resource: ResourceType, namespace: string | undefined, name: string): string {
  return `${resource.group}/${resource.plural}/${resource.namespaced ? (namespace ?? '') : ''}/${name}`;
}

/** How the API server names a kind in its errors: the plural, qualified by its group (`leases.coordination.k8s.io`). */
export const qualifiedResource = (resource: ResourceType) =>
  `${resource.plural}${resource.group ? `.${resource.group}` : ''}`;

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Objects grouped by kind (`group/plural/`), so listing one kind never walks the others. */
class ObjectsByKind {
  private readonly kinds = new Map<string, Map<string, KubeObject>>();
  /** Each kind's keys in order, made when a list asks and dropped when a key comes or goes: sorting 20,000 keys at every list was most of a pass. */
  private readonly sortedKeys = new Map<string, string[]>();

  private static kindOf(key: string): string {
    return key.slice(0, key.indexOf('/', key.indexOf('/') + 1) + 1);
  }

  ofKind(kind: string): Map<string, KubeObject> {
    return this.kinds.get(kind) ?? new Map();
  }

  /** The keys of a kind that start with `prefix`, ordered code unit by code unit (byte by byte for the ASCII of names). */
  keysWithPrefix(kind: string, prefix: string): string[] {
    let keys = this.sortedKeys.get(kind);
    if (!keys) {
      keys = [...this.ofKind(kind).keys()].sort();
      this.sortedKeys.set(kind, keys);
    }
    if (prefix === kind) return keys;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    let end = low;
    while (end < keys.length && keys[end]!.startsWith(prefix)) end += 1;
    return keys.slice(low, end);
  }

  get(key: string): KubeObject | undefined {
    return this.kinds.get(ObjectsByKind.kindOf(key))?.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, object: KubeObject): void {
    const kind = ObjectsByKind.kindOf(key);
    let objects = this.kinds.get(kind);
    if (!objects) this.kinds.set(kind, (objects = new Map()));
    if (!objects.has(key)) this.sortedKeys.delete(kind);
    objects.set(key, object);
  }

  delete(key: string): void {
    const kind = ObjectsByKind.kindOf(key);
    if (this.kinds.get(kind)?.delete(key)) this.sortedKeys.delete(kind);
  }

  clear(): void {
    this.kinds.clear();
    this.sortedKeys.clear();
  }

  *entries(): IterableIterator<[string, KubeObject]> {
    for (const objects of this.kinds.values()) yield* objects.entries();
  }
}

/**
 * The simulated cluster's objects, with the server-set fields kubectl and helm rely on:
 * uid, a cluster-wide increasing resourceVersion, creationTimestamp, generation.
 */
export class ObjectStore {
  private readonly objects = new ObjectsByKind();
  private version = 1000;
  private listeners: ((change: StoreChange) => void)[] = [];
  /** Recent changes, so a watch that starts from a resourceVersion misses nothing. */
  private readonly history: StoreChange[] = [];

  get resourceVersion(): string {
    return String(this.version);
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((item) => item !== listener);
    };
  }

  /** Changes after the given resourceVersion, oldest first. */
  changesSince(resourceVersion: number): StoreChange[] {
    return this.history.filter((change) => Number(change.object.metadata.resourceVersion) > resourceVersion);
  }

  private emit(change: StoreChange): void {
    this.history.push(change);
    if (this.history.length > historyLimit) this.history.shift();
    for (const listener of [...this.listeners]) listener(change);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.objects.get(keyOf(resource, namespace, name));
    if (!object) throw new StoreError(404, 'NotFound', `${qualifiedResource(resource)} "${name}" not found`);
    return structuredClone(object);
  }

  find(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const object = this.objects.get(keyOf(resource, namespace, name));
    return object ? structuredClone(object) : undefined;
  }

  list(resource: ResourceType, namespace?: string): KubeObject[] {
    const kind = `${resource.group}/${resource.plural}/`;
    const prefix = `${kind}${resource.namespaced && namespace ? `${namespace}/` : ''}`;
    // Ordered by namespace and name, byte by byte, as the real server lists them.
    const objects = this.objects.ofKind(kind);
    return this.objects.keysWithPrefix(kind, prefix).map((key) => structuredClone(objects.get(key)!));
  }

  /**
   * The stored objects themselves, in list order, for a controller's pass that only reads them: cloning every
   * volume and claim at each pass was most of a pass at 10,000 users. What it returns must never be changed;
   * a change is made on a copy and written with update().
   */
  scan(resource: ResourceType, namespace?: string): readonly KubeObject[] {
    const kind = `${resource.group}/${resource.plural}/`;
    const prefix = `${kind}${resource.namespaced && namespace ? `${namespace}/` : ''}`;
    const objects = this.objects.ofKind(kind);
    return this.objects.keysWithPrefix(kind, prefix).map((key) => objects.get(key)!);
  }

  create(resource: ResourceType, namespace: string | undefined, object: KubeObject): KubeObject {
    const name = object.metadata?.name;
    if (!name)
      throw new StoreError(
        422,
        'Invalid',
        `${resource.kind} is invalid: metadata.name: Required value: name is required`,
      );
    const key = keyOf(resource, namespace, name);
    if (this.objects.has(key))
      throw new StoreError(409, 'AlreadyExists', `${qualifiedResource(resource)} "${name}" already exists`);
    this.version += 1;
    const defaulted = withServerDefaults({ ...object, kind: resource.kind });
    const stored: KubeObject = {
      ...defaulted,
      apiVersion: apiVersionOf(resource),
      kind: resource.kind,
      metadata: {
        ...defaulted.metadata,
        ...(resource.namespaced ? { namespace } : {}),
        uid: randomUUID(),
        resourceVersion: String(this.version),
        creationTimestamp: now(),
        ...(object.spec !== undefined ? { generation: 1 } : {}),
      },
    };
    if (!resource.namespaced) delete stored.metadata.namespace;
    this.objects.set(key, stored);
    this.emit({ type: 'ADDED', resource, object: structuredClone(stored) });
    return structuredClone(stored);
  }

  /** Replaces an object; a stale resourceVersion in the request is a conflict, as on a real server. */
  update(resource: ResourceType, namespace: string | undefined, given: KubeObject): KubeObject {
    const name = given.metadata?.name;
    const key = keyOf(resource, namespace, name);
    const current = this.objects.get(key);
    if (!current) throw new StoreError(404, 'NotFound', `${qualifiedResource(resource)} "${name}" not found`);
    const requested = given.metadata.resourceVersion;
    if (requested && requested !== current.metadata.resourceVersion) {
      throw new StoreError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    // A Service keeps its cluster IP and node ports through an update that leaves them out.
    const object =
      resource.kind === 'Service' && resource.group === ''
        ? withServiceAllocations(given, current)
        : withWorkloadDefaults({ ...given, kind: current.kind });
    const specChanged = JSON.stringify(object.spec) !== JSON.stringify(current.spec);
    this.version += 1;
    const stored: KubeObject = {
      ...object,
      apiVersion: current.apiVersion,
      kind: current.kind,
      metadata: {
        ...object.metadata,
        ...(resource.namespaced ? { namespace: current.metadata.namespace } : {}),
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: String(this.version),
        ...(current.metadata.generation !== undefined
          ? { generation: current.metadata.generation + (specChanged ? 1 : 0) }
          : {}),
        // Once set, a deletion cannot be taken back.
        ...(current.metadata.deletionTimestamp
          ? { deletionTimestamp: current.metadata.deletionTimestamp, deletionGracePeriodSeconds: 0 }
          : {}),
      },
    };
    // A namespace is held by its spec's finalizers until the namespace controller empties it.
    const held =
      stored.metadata.finalizers?.length || (resource.kind === 'Namespace' && stored.spec?.finalizers?.length);
    if (stored.metadata.deletionTimestamp && !held) {
      // The last finalizer of an object being deleted is gone: the deletion completes.
      this.objects.delete(key);
      this.emit({ type: 'DELETED', resource, object: structuredClone(stored) });
      return structuredClone(stored);
    }
    this.objects.set(key, stored);
    this.emit({ type: 'MODIFIED', resource, object: structuredClone(stored) });
    return structuredClone(stored);
  }

  /** Puts back an object saved earlier, exactly as it was (uid, resourceVersion and all); no watcher hears it. */
  restore(resource: ResourceType, object: KubeObject): void {
    this.objects.set(keyOf(resource, object.metadata.namespace, object.metadata.name), structuredClone(object));
    this.version = Math.max(this.version, Number(object.metadata.resourceVersion) || 0);
  }

  /** Every object with its key parts, for saving the cluster. */
  entries(): { group: string; plural: string; object: KubeObject }[] {
    return [...this.objects.entries()].map(([key, object]) => {
      const [group, plural] = key.split('/') as [string, string];
      return { group, plural, object: structuredClone(object) };
    });
  }

  /** Forgets every object, as when the cluster's machines are destroyed; resourceVersions keep increasing. */
  clear(): void {
    this.objects.clear();
    this.history.length = 0;
    this.version += 1;
  }

  /** Removes an object; one with finalizers only gets a deletionTimestamp and goes when its last finalizer is removed. */
  delete(resource: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const key = keyOf(resource, namespace, name);
    const current = this.objects.get(key);
    if (!current) throw new StoreError(404, 'NotFound', `${qualifiedResource(resource)} "${name}" not found`);
    if (current.metadata.finalizers?.length) {
      if (current.metadata.deletionTimestamp) return structuredClone(current);
      return this.update(resource, namespace, {
        ...current,
        metadata: { ...current.metadata, deletionTimestamp: now(), deletionGracePeriodSeconds: 0 },
      });
    }
    this.version += 1;
    this.objects.delete(key);
    const deleted = { ...current, metadata: { ...current.metadata, resourceVersion: String(this.version) } };
    this.emit({ type: 'DELETED', resource, object: structuredClone(deleted) });
    return structuredClone(deleted);
  }
}
