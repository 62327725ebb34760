import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { desiredAddresses, parseTfvars, readCloudConfig, type CloudConfig } from './cloud-config.js';
import { addressMatches, destroyClosure } from '../../plugins/terraform/tfstate.js';
import { createAttributes, readState, writeState, type CloudState } from './cloud-state.js';
import { forceUnlock, releaseStateLock, takeStateLock } from './state-lock.js';

interface Invocation {
  dir: string;
  command: string[];
  flags: Map<string, string[]>;
  switches: Set<string>;
}

/** Output values as terraform records them in the state after an apply. */
function outputValues(config: CloudConfig, resources: CloudState['resources']): CloudState['outputs'] {
  const outputs: CloudState['outputs'] = {};
  for (const [name, reference] of Object.entries(config.outputs)) {
    const [type, resourceName, attribute] = reference.split('.') as [string, string, string];
    const value = resources.find((resource) => resource.address === `${type}.${resourceName}`)?.attributes[attribute];
    if (value !== undefined) outputs[name] = { value, type: typeof value === 'number' ? 'number' : 'string' };
  }
  return outputs;
}

/** The `terraform show -json` document of a state: format 1.0 values, root module only. */
function showJson(state: CloudState): object {
  if (state.resources.length === 0 && Object.keys(state.outputs).length === 0) return { format_version: '1.0' };
  const resources = state.resources.map((resource) => ({
    address: resource.address,
    mode: resource.mode,
    type: resource.type,
    name: resource.name,
    ...(resource.index !== undefined ? { index: resource.index } : {}),
    provider_name: 'registry.terraform.io/terraform-provider-openstack/openstack',
    schema_version: 0,
    values: resource.attributes,
    sensitive_values: {},
    ...(resource.dependencies.length ? { depends_on: resource.dependencies } : {}),
  }));
  const outputs = Object.fromEntries(Object.entries(state.outputs).map(([name, output]) => [name, { sensitive: false, value: output.value, type: output.type }]));
  return { format_version: '1.0', terraform_version: '1.9.8', values: { outputs, root_module: { resources } } };
}

/** terraform's flags: `-chdir=DIR` before the command, `-name=value` or `-name value` after it. */
function parseArgs(argv: string[]): Invocation {
  let dir = process.cwd();
  const command: string[] = [];
  const flags = new Map<string, string[]>();
  const switches = new Set<string>();
  const takesValue = new Set(['var', 'var-file', 'target']);
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index]!;
    if (word.startsWith('-chdir=')) dir = resolve(word.slice('-chdir='.length));
    else if (word.startsWith('-')) {
      const [name, value] = word.replace(/^-+/, '').split(/=(.*)/s) as [string, string | undefined];
      if (value !== undefined) flags.set(name, [...(flags.get(name) ?? []), value]);
      else if (takesValue.has(name)) flags.set(name, [...(flags.get(name) ?? []), argv[++index]!]);
      else switches.add(name);
    } else command.push(word);
  }
  return { dir, command, flags, switches };
}

async function variables(invocation: Invocation, config: CloudConfig): Promise<Record<string, string | number>> {
  const values: Record<string, string | number> = { ...config.variables };
  for (const [key, value] of Object.entries(process.env)) if (key.startsWith('TF_VAR_') && value !== undefined) values[key.slice(7)] = value;
  for (const file of invocation.flags.get('var-file') ?? []) Object.assign(values, parseTfvars(await readFile(resolve(invocation.dir, file), 'utf8')));
  for (const pair of invocation.flags.get('var') ?? []) {
    const [key, value] = pair.split(/=(.*)/s) as [string, string];
    values[key] = value;
  }
  return values;
}

function matchesTarget(address: string, targets: string[]): boolean {
  return targets.some((target) => addressMatches(address, target));
}

interface Changes {
  add: { address: string; resource: string; type: string; name: string; index?: number; dependencies: string[] }[];
  destroy: string[];
}

async function computeChanges(invocation: Invocation, destroying: boolean): Promise<{ state: CloudState; changes: Changes }> {
  const config = await readCloudConfig(invocation.dir);
  const state = await readState(invocation.dir);
  const targets = invocation.flags.get('target') ?? [];
  if (destroying) {
    const chosen = targets.length ? targets : state.resources.map((resource) => resource.address);
    return { state, changes: { add: [], destroy: destroyClosure(state.resources, chosen) } };
  }
  const desired = desiredAddresses(config, await variables(invocation, config));
  const existing = new Set(state.resources.map((resource) => resource.address));
  const wanted = new Set(desired.map((item) => item.address));
  const add = desired
    .filter((item) => !existing.has(item.address) && (targets.length === 0 || matchesTarget(item.address, targets)))
    .map(({ address, block }) => {
      const index = /\[(\d+)\]$/.exec(address);
      return { address, resource: `${block.type}.${block.name}`, type: block.type, name: block.name, ...(index ? { index: Number(index[1]) } : {}), dependencies: block.depends_on ?? [] };
    });
  const destroy = state.resources.map((resource) => resource.address).filter((address) => !wanted.has(address) && (targets.length === 0 || matchesTarget(address, targets)));
  return { state, changes: { add, destroy } };
}

function printPlan(changes: Changes): void {
  for (const item of changes.add) console.log(`  # ${item.address} will be created`);
  for (const address of changes.destroy) console.log(`  # ${address} will be destroyed`);
  if (changes.add.length + changes.destroy.length === 0) console.log('No changes. Your infrastructure matches the configuration.');
  else console.log(`\nPlan: ${changes.add.length} to add, 0 to change, ${changes.destroy.length} to destroy.`);
}

async function initialised(dir: string): Promise<boolean> {
  try {
    await stat(join(dir, '.terraform'));
    return true;
  } catch {
    console.error('Error: Inconsistent dependency lock file\n\nThe working directory has not been initialized; run "terraform init".');
    return false;
  }
}

/** A terraform/OpenTofu stand-in for the simulated OpenStack cloud: same commands, flags, exit codes and JSON. */
export async function terraformCli(argv: string[]): Promise<number> {
  const invocation = parseArgs(argv);
  const [command] = invocation.command;
  if (command === 'force-unlock') return forceUnlock(invocation);
  const locking = ['plan', 'apply', 'destroy'].includes(command ?? '') || (command === 'state' && invocation.command[1] === 'rm');
  if (locking && !(await initialised(invocation.dir))) return 1;
  if (!locking || invocation.flags.get('lock')?.[0] === 'false') return runCommand(invocation);
  const lock = await takeStateLock(invocation.dir, command === 'plan' ? 'OperationTypePlan' : command === 'state' ? 'OperationTypeInvalid' : 'OperationTypeApply');
  if (!lock) return 1;
  try {
    return await runCommand(invocation);
  } finally {
    await releaseStateLock(invocation.dir, lock);
  }
}

async function runCommand(invocation: Invocation): Promise<number> {
  const [command, subcommand, ...rest] = invocation.command;
  if (command === 'version' || invocation.switches.has('version')) {
    console.log(invocation.switches.has('json') ? JSON.stringify({ terraform_version: '1.9.8-sim', platform: 'linux_amd64' }) : 'Terraform v1.9.8-sim\non linux_amd64');
    return 0;
  }
  if (command === 'init') {
    await readCloudConfig(invocation.dir);
    await mkdir(join(invocation.dir, '.terraform'), { recursive: true });
    console.log('Terraform has been successfully initialized!');
    return 0;
  }
  if (!(await initialised(invocation.dir))) return 1;
  if (command === 'plan') {
    const { changes } = await computeChanges(invocation, invocation.switches.has('destroy'));
    printPlan(changes);
    const changed = changes.add.length + changes.destroy.length > 0;
    return invocation.switches.has('detailed-exitcode') && changed ? 2 : 0;
  }
  if (command === 'apply' || command === 'destroy') {
    if (!invocation.switches.has('auto-approve')) {
      console.error('Error: the simulated cloud only runs with -auto-approve');
      return 1;
    }
    const { state, changes } = await computeChanges(invocation, command === 'destroy' || invocation.switches.has('destroy'));
    const doomed = new Set(changes.destroy);
    const resources = [
      ...state.resources.filter((resource) => !doomed.has(resource.address)),
      ...changes.add.map((item) => ({ ...item, mode: 'managed' as const, attributes: createAttributes(item.type, item.address) })),
    ];
    await writeState(invocation.dir, { ...state, resources, outputs: outputValues(await readCloudConfig(invocation.dir), resources) });
    for (const address of changes.destroy) console.log(`${address}: Destruction complete`);
    for (const item of changes.add) console.log(`${item.address}: Creation complete`);
    console.log(command === 'destroy' ? `\nDestroy complete! Resources: ${changes.destroy.length} destroyed.` : `\nApply complete! Resources: ${changes.add.length} added, 0 changed, ${changes.destroy.length} destroyed.`);
    return 0;
  }
  if (command === 'state' && subcommand === 'list') {
    for (const resource of (await readState(invocation.dir)).resources) console.log(resource.address);
    return 0;
  }
  if (command === 'state' && subcommand === 'rm') {
    const state = await readState(invocation.dir);
    const removing = state.resources.filter((resource) => matchesTarget(resource.address, rest));
    const unmatched = rest.filter((target) => !state.resources.some((resource) => addressMatches(resource.address, target)));
    if (rest.length === 0 || unmatched.length) {
      console.error(rest.length ? `Error: Invalid target address\n\nNo matching objects found. To view the available instances, use "terraform state list". Please modify the address to reference a specific instance: ${unmatched.join(', ')}` : 'Error: At least one address is required.');
      return 1;
    }
    const gone = new Set(removing.map((resource) => resource.address));
    await writeState(invocation.dir, { ...state, resources: state.resources.filter((resource) => !gone.has(resource.address)) });
    for (const address of gone) console.log(`Removed ${address}`);
    console.log(`Successfully removed ${gone.size} resource instance(s).`);
    return 0;
  }
  if (command === 'output') {
    const state = await readState(invocation.dir);
    const outputs = Object.fromEntries(Object.entries(state.outputs).map(([name, output]) => [name, { sensitive: false, ...output }]));
    console.log(JSON.stringify(outputs, null, 2));
    return 0;
  }
  if (command === 'show') {
    if (!invocation.switches.has('json')) {
      console.error('Error: the simulated cloud only prints `show -json`');
      return 1;
    }
    console.log(JSON.stringify(showJson(await readState(invocation.dir))));
    return 0;
  }
  console.error(`Error: the simulated cloud does not know the command "${invocation.command.join(' ')}"`);
  return 1;
}
