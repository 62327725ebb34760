import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../exec/atomic-write.js';
import { parseTfstate, type StateInstance } from '../../plugins/terraform/tfstate.js';
import { stateFile } from './cloud-config.js';

export interface CloudState {
  serial: number;
  lineage: string;
  resources: StateInstance[];
  outputs: Record<string, { value: unknown; type: string }>;
}

const provider = 'provider["registry.terraform.io/terraform-provider-openstack/openstack"]';

export async function readState(dir: string): Promise<CloudState> {
  let text: string;
  try {
    text = await readFile(join(dir, stateFile), 'utf8');
  } catch {
    return { serial: 0, lineage: randomUUID(), resources: [], outputs: {} };
  }
  const raw = JSON.parse(text) as { serial: number; lineage: string; outputs?: CloudState['outputs'] };
  return { serial: raw.serial, lineage: raw.lineage, resources: parseTfstate(text), outputs: raw.outputs ?? {} };
}

/** Written in terraform's own local-state format (version 4), so tools that read `terraform.tfstate` work on it. */
export async function writeState(dir: string, state: CloudState): Promise<void> {
  const grouped = new Map<string, { module?: string; mode: string; type: string; name: string; provider: string; instances: object[] }>();
  for (const instance of state.resources) {
    const entry = grouped.get(instance.resource) ?? { ...(instance.module ? { module: instance.module } : {}), mode: instance.mode, type: instance.type, name: instance.name, provider, instances: [] };
    entry.instances.push({
      ...(instance.index !== undefined ? { index_key: instance.index } : {}),
      schema_version: 0,
      attributes: instance.attributes,
      sensitive_attributes: [],
      ...(instance.dependencies.length ? { dependencies: instance.dependencies } : {}),
    });
    grouped.set(instance.resource, entry);
  }
  const document = { version: 4, terraform_version: '1.9.8', serial: state.serial + 1, lineage: state.lineage, outputs: state.outputs, resources: [...grouped.values()], check_results: null };
  await writeFileAtomic(join(dir, stateFile), `${JSON.stringify(document, null, 2)}\n`);
}

/** Attributes a new resource gets from the simulated cloud; a floating IP gets a public address once. */
export function createAttributes(type: string, address: string): Record<string, unknown> {
  const id = randomUUID();
  if (type.includes('floatingip') && !type.includes('associate')) {
    const bytes = randomBytes(2);
    return { id, address: `149.165.${bytes[0]! % 250}.${(bytes[1]! % 250) + 2}` };
  }
  if (type.includes('instance')) return { id, name: address.replace(/^.*\./, '').replace(/\[(\d+)\]/, '-$1'), status: 'ACTIVE' };
  return { id };
}
