import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../exec/atomic-write.js';
import { stateFile } from './cloud-config.js';

export interface StateResource {
  address: string;
  type: string;
  name: string;
  index?: number;
  depends_on: string[];
  attributes: Record<string, unknown>;
}

export interface CloudState {
  version: 4;
  serial: number;
  resources: StateResource[];
}

export async function readState(dir: string): Promise<CloudState> {
  try {
    return JSON.parse(await readFile(join(dir, stateFile), 'utf8')) as CloudState;
  } catch {
    return { version: 4, serial: 0, resources: [] };
  }
}

export async function writeState(dir: string, state: CloudState): Promise<void> {
  await writeFileAtomic(join(dir, stateFile), `${JSON.stringify({ ...state, serial: state.serial + 1 }, null, 2)}\n`);
}

/** Attributes a new resource gets from the simulated cloud; a floating IP gets a public address once. */
export function createAttributes(type: string, address: string): Record<string, unknown> {
  const id = randomUUID();
  if (type.includes('floatingip')) {
    const bytes = randomBytes(2);
    return { id, address: `149.165.${bytes[0]! % 250}.${(bytes[1]! % 250) + 2}` };
  }
  if (type.includes('instance')) return { id, name: address.replace(/^.*\./, '').replace(/\[(\d+)\]/, '-$1'), status: 'ACTIVE' };
  return { id };
}

/** A resource and, transitively, everything that depends on it, as terraform destroys them. */
export function withDependents(state: CloudState, targets: Set<string>): Set<string> {
  const doomed = new Set(targets);
  let grew = true;
  while (grew) {
    grew = false;
    for (const resource of state.resources) {
      if (doomed.has(resource.address)) continue;
      if (resource.depends_on.some((dependency) => [...doomed].some((address) => address === dependency || address.replace(/\[\d+\]$/, '') === dependency))) {
        doomed.add(resource.address);
        grew = true;
      }
    }
  }
  return doomed;
}
