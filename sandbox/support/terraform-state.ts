/**
 * The simulator's own reading of terraform's state file (format version 4): what its cloud and its
 * stand-in terraform need, kept apart from the runner's reading so that the rehearsal does not check
 * the runner with the runner's own parser.
 */
export interface StateInstance {
  /** The address `terraform state list` prints: `module.compute.terraform_data.k8s_node[1]`. */
  address: string;
  /** The address without its instance key, as `dependencies` name it. */
  resource: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  module?: string;
  index?: number | string;
  dependencies: string[];
  attributes: Record<string, unknown>;
  tainted?: boolean;
}

interface StoredResource {
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  instances?: {
    index_key?: number | string;
    status?: string;
    attributes?: Record<string, unknown>;
    dependencies?: string[];
  }[];
}

export function parseTfstate(text: string): StateInstance[] {
  const state = JSON.parse(text) as { version?: number; resources?: StoredResource[] };
  if (state.version !== 4 || !Array.isArray(state.resources))
    throw new Error(`not a terraform state of format version 4 (found version ${String(state.version)})`);
  const instances: StateInstance[] = [];
  for (const stored of state.resources) {
    const resource = [stored.module, stored.mode === 'data' ? 'data' : undefined, stored.type, stored.name]
      .filter(Boolean)
      .join('.');
    for (const instance of stored.instances ?? []) {
      const key = instance.index_key;
      instances.push({
        address: key === undefined ? resource : `${resource}[${typeof key === 'number' ? key : JSON.stringify(key)}]`,
        resource,
        mode: stored.mode,
        type: stored.type,
        name: stored.name,
        ...(stored.module ? { module: stored.module } : {}),
        ...(key !== undefined ? { index: key } : {}),
        dependencies: instance.dependencies ?? [],
        attributes: instance.attributes ?? {},
        ...(instance.status === 'tainted' ? { tainted: true } : {}),
      });
    }
  }
  return instances;
}

/** Whether a `-target` (or keep-list entry) covers an address: itself, its instances, or a module it names. */
export function addressMatches(address: string, target: string): boolean {
  if (address === target) return true;
  if (!address.startsWith(target)) return false;
  const rest = address.slice(target.length);
  return rest.startsWith('[') || (rest.startsWith('.') && /(^|\.)module\.[^.[]+(\[[^\]]*\])?$/.test(target));
}

/** What `destroy -target` takes: the targeted managed instances and, transitively, every managed instance depending on one. */
export function destroyClosure(instances: StateInstance[], targets: string[]): string[] {
  const managed = instances.filter((instance) => instance.mode === 'managed');
  const doomed = new Set(
    managed
      .filter((instance) => targets.some((target) => addressMatches(instance.address, target)))
      .map((instance) => instance.address),
  );
  let size = -1;
  while (doomed.size !== size) {
    size = doomed.size;
    const gone = new Set(
      managed.filter((instance) => doomed.has(instance.address)).map((instance) => instance.resource),
    );
    for (const instance of managed)
      if (instance.dependencies.some((dependency) => gone.has(dependency))) doomed.add(instance.address);
  }
  return instances.filter((instance) => doomed.has(instance.address)).map((instance) => instance.address);
}

/** What a resource is in the simulated cloud: a terraform_data's output (its kind, name, address), else its attributes. */
export function resourceValues(instance: Pick<StateInstance, 'attributes'>): Record<string, unknown> {
  const output = instance.attributes['output'] as { value?: unknown } | undefined;
  return output && typeof output === 'object' && output.value && typeof output.value === 'object'
    ? (output.value as Record<string, unknown>)
    : instance.attributes;
}
