import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One resource block of the simulated configuration, as `main.tf` writes it for the real terraform:
 * a `terraform_data` whose input says what it asks the simulated cloud for. In an input string,
 * `${<resource address>.id}` is a reference (which makes a dependency, as in HCL) and `{n}` the
 * instance's number (count.index + 1).
 */
export interface ResourceBlock {
  module?: string;
  type?: string;
  name: string;
  /** The variable holding the count, as `count = var.worker_count`. */
  count?: string;
  input?: Record<string, string>;
  /** Dependencies that no input value shows (a value passed through another resource, as a module output can be). */
  depends_on?: string[];
  /** Allocated by the cloud at creation and never changed after (`ignore_changes = [input]` in HCL). */
  allocated?: 'address';
}

/** What the stand-in terraform reads instead of .tf files: `cloud.sim.json` in the working directory. */
export interface CloudConfig {
  variables: Record<string, string | number>;
  resources: ResourceBlock[];
  /** Output name to `<resource address>.output.<key>`. */
  outputs: Record<string, string>;
  /** Which instances Kubernetes runs on: the control plane's resource address and the workers'. */
  cluster?: { control_plane: string; workers?: string };
}

export const configFile = 'cloud.sim.json';
export const stateFile = 'terraform.tfstate';

export async function readCloudConfig(dir: string): Promise<CloudConfig> {
  return JSON.parse(await readFile(join(dir, configFile), 'utf8')) as CloudConfig;
}

/** `key = "value"` and `key = 3` lines of a .tfvars file. */
export function parseTfvars(text: string): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"([^"]*)"|(-?\d+(?:\.\d+)?)|(\S+))\s*(?:#.*)?$/.exec(line);
    if (match) values[match[1]!] = match[2] ?? (match[3] !== undefined ? Number(match[3]) : match[4]!);
  }
  return values;
}

export function blockType(block: ResourceBlock): string {
  return block.type ?? 'terraform_data';
}

/** `module.compute.terraform_data.k8s_master`: the address `dependencies` and `-target` use. */
export function resourceAddress(block: ResourceBlock): string {
  return `${block.module ? `${block.module}.` : ''}${blockType(block)}.${block.name}`;
}

const reference = /\$\{([^}]+)\.id\}/g;

/** The resources a block refers to, directly: its dependencies, as terraform derives them from references. */
export function blockDependencies(block: ResourceBlock): string[] {
  const found = new Set<string>(block.depends_on ?? []);
  for (const value of Object.values(block.input ?? {}))
    for (const match of value.matchAll(reference)) found.add(match[1]!);
  return [...found];
}

/** Every resource a block depends on, through others too, sorted: what terraform records as an instance's dependencies. */
export function recordedDependencies(config: CloudConfig, block: ResourceBlock): string[] {
  const byAddress = new Map(config.resources.map((candidate) => [resourceAddress(candidate), candidate]));
  const found = new Set<string>();
  const pending = blockDependencies(block);
  while (pending.length > 0) {
    const address = pending.pop()!;
    if (found.has(address)) continue;
    found.add(address);
    const dependency = byAddress.get(address);
    if (dependency) pending.push(...blockDependencies(dependency));
  }
  return [...found].sort();
}

/** The block's input for one instance: references resolved to the ids the cloud gave, `{n}` to the instance number. */
export function instanceInput(
  block: ResourceBlock,
  index: number | undefined,
  idOf: (address: string) => string | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(block.input ?? {}).map(([key, value]) => [
      key,
      value.replace(reference, (_, address: string) => idOf(address) ?? '').replaceAll('{n}', String((index ?? 0) + 1)),
    ]),
  );
}

/** Every resource instance the configuration asks for, counts expanded: `module.compute.terraform_data.k8s_node[1]`. */
export function desiredAddresses(
  config: CloudConfig,
  variables: Record<string, string | number>,
): { address: string; index?: number; block: ResourceBlock }[] {
  return config.resources.flatMap((block) => {
    const base = resourceAddress(block);
    if (!block.count) return [{ address: base, block }];
    const count = Number(variables[block.count] ?? 0);
    return Array.from({ length: count }, (_, index) => ({ address: `${base}[${index}]`, index, block }));
  });
}
