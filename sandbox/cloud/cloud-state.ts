import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeStateFile } from '../support/state-file.js';
import { parseTfstate, type StateInstance } from '../support/terraform-state.js';
import { stateFile } from './cloud-config.js';

export interface CloudState {
  serial: number;
  lineage: string;
  resources: StateInstance[];
  outputs: Record<string, { value: unknown; type: string }>;
}

const builtinProvider = 'provider["terraform.io/builtin/terraform"]';
const openstackProvider = 'provider["registry.terraform.io/terraform-provider-openstack/openstack"]';

export async function readState(dir: string): Promise<CloudState> {
  let text: string;
  try {
    text = await readFile(join(dir, stateFile), 'utf8');
  } catch {
    // No state yet: its lineage is made with the first write, so a plan of an empty state stays applicable.
    return { serial: 0, lineage: '', resources: [], outputs: {} };
  }
  const raw = JSON.parse(text) as { serial: number; lineage: string; outputs?: CloudState['outputs'] };
  return { serial: raw.serial, lineage: raw.lineage, resources: parseTfstate(text), outputs: raw.outputs ?? {} };
}

/** Written in terraform's own local-state format (version 4), as terraform 1.11 writes it, so either can read what the other wrote. */
export async function writeState(dir: string, state: CloudState): Promise<void> {
  const grouped = new Map<
    string,
    { module?: string; mode: string; type: string; name: string; provider: string; instances: object[] }
  >();
  for (const instance of state.resources) {
    const provider = instance.type === 'terraform_data' ? builtinProvider : openstackProvider;
    const entry = grouped.get(instance.resource) ?? {
      ...(instance.module ? { module: instance.module } : {}),
      mode: instance.mode,
      type: instance.type,
      name: instance.name,
      provider,
      instances: [],
    };
    entry.instances.push({
      ...(instance.index !== undefined ? { index_key: instance.index } : {}),
      ...(instance.tainted ? { status: 'tainted' } : {}),
      schema_version: 0,
      attributes: instance.attributes,
      sensitive_attributes: [],
      ...(instance.dependencies.length ? { dependencies: instance.dependencies } : {}),
    });
    grouped.set(instance.resource, entry);
  }
  const document = {
    version: 4,
    terraform_version: '1.11.4',
    serial: state.serial + 1,
    lineage: state.lineage || randomUUID(),
    outputs: state.outputs,
    resources: [...grouped.values()],
    check_results: null,
  };
  await writeStateFile(join(dir, stateFile), `${JSON.stringify(document, null, 2)}\n`);
}

/** A floating IP from the simulated cloud's public pool. */
export function allocateAddress(): string {
  const bytes = randomBytes(2);
  return `149.165.${bytes[0]! % 250}.${(bytes[1]! % 250) + 2}`;
}

/** terraform_data's attributes as terraform stores them: input and output hold a value with its type. */
export function terraformDataAttributes(id: string, input: Record<string, string>): Record<string, unknown> {
  const typed = {
    value: input,
    type: ['object', Object.fromEntries(Object.keys(input).map((key) => [key, 'string']))],
  };
  return { id, input: typed, output: typed, triggers_replace: null };
}
