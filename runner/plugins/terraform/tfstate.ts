/** One resource instance of a terraform state (format version 4), with the address `state list` prints. */
export interface StateInstance {
  address: string;
  /** The resource's address without its instance key, as `dependencies` name it. */
  resource: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  module?: string;
  index?: number | string;
  dependencies: string[];
  attributes: Record<string, unknown>;
  /** A create that failed halfway (a provisioner refused): the next apply replaces it. */
  tainted?: boolean;
}

interface RawResource {
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

function instanceKey(index: number | string | undefined): string {
  if (index === undefined) return '';
  return typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`;
}

/** The instances of a local `terraform.tfstate`; throws when the text is not a version 4 state. */
export function parseTfstate(text: string): StateInstance[] {
  const state = JSON.parse(text) as { version?: number; resources?: RawResource[] };
  if (state.version !== 4 || !Array.isArray(state.resources))
    throw new Error(`not a terraform state of format version 4 (found version ${String(state.version)})`);
  return state.resources.flatMap((raw) => {
    const resource = `${raw.module ? `${raw.module}.` : ''}${raw.mode === 'data' ? 'data.' : ''}${raw.type}.${raw.name}`;
    return (raw.instances ?? []).map((instance) => ({
      address: `${resource}${instanceKey(instance.index_key)}`,
      resource,
      mode: raw.mode,
      type: raw.type,
      name: raw.name,
      ...(raw.module ? { module: raw.module } : {}),
      ...(instance.index_key !== undefined ? { index: instance.index_key } : {}),
      dependencies: instance.dependencies ?? [],
      attributes: instance.attributes ?? {},
      ...(instance.status === 'tainted' ? { tainted: true } : {}),
    }));
  });
}

/** True when `address` is `target`, one of its instances (`worker` covers `worker[0]`), or inside the module `target` names. */
export function addressMatches(address: string, target: string): boolean {
  if (address === target || !address.startsWith(target)) return address === target;
  const next = address[target.length];
  return next === '[' || (next === '.' && /(^|\.)module\.[^.[]+(\[[^\]]*\])?$/.test(target));
}

/** The targeted instances and, transitively, every managed instance that depends on them: what `destroy -target` removes. */
export function destroyClosure(instances: StateInstance[], targets: string[]): string[] {
  const doomed = new Set(
    instances
      .filter(
        (instance) => instance.mode === 'managed' && targets.some((target) => addressMatches(instance.address, target)),
      )
      .map((instance) => instance.address),
  );
  for (let grew = true; grew;) {
    grew = false;
    const doomedResources = new Set(
      instances.filter((instance) => doomed.has(instance.address)).map((instance) => instance.resource),
    );
    for (const instance of instances) {
      if (instance.mode !== 'managed' || doomed.has(instance.address)) continue;
      if (instance.dependencies.some((dependency) => doomedResources.has(dependency))) {
        doomed.add(instance.address);
        grew = true;
      }
    }
  }
  return instances.filter((instance) => doomed.has(instance.address)).map((instance) => instance.address);
}

/** What a resource is in the cloud: a terraform_data's output (the sandbox's resources), else its attributes. */
export function resourceValues(instance: Pick<StateInstance, 'attributes'>): Record<string, unknown> {
  const output = instance.attributes['output'] as { value?: unknown } | undefined;
  if (output && typeof output === 'object' && output.value && typeof output.value === 'object')
    return output.value as Record<string, unknown>;
  return instance.attributes;
}
