import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One resource block of the simulated configuration; `count` names a variable. */
export interface ResourceBlock {
  type: string;
  name: string;
  count?: string;
  depends_on?: string[];
}

/** What the simulator reads instead of .tf files: `cloud.sim.json` in the working directory. */
export interface CloudConfig {
  variables: Record<string, string | number>;
  resources: ResourceBlock[];
  outputs: Record<string, string>;
  /** Which instances Kubernetes runs on: the control plane's address and the workers' resource address. */
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

/** Every resource address the configuration asks for, counts expanded: `openstack_compute_instance_v2.worker[1]`. */
export function desiredAddresses(config: CloudConfig, variables: Record<string, string | number>): { address: string; block: ResourceBlock }[] {
  return config.resources.flatMap((block) => {
    const base = `${block.type}.${block.name}`;
    if (!block.count) return [{ address: base, block }];
    const count = Number(variables[block.count] ?? 0);
    return Array.from({ length: count }, (_, index) => ({ address: `${base}[${index}]`, block }));
  });
}
