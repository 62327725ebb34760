import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { addressMatches, resourceValues, type StateInstance } from '../support/terraform-state.js';
import { recordedDependencies, blockType, instanceInput, readCloudConfig, type CloudConfig } from './cloud-config.js';
import { allocateAddress, readState, terraformDataAttributes, writeState, type CloudState } from './cloud-state.js';
import { callCloud, cloudSettings } from './cloud-call.js';
import { forceUnlock, releaseStateLock, takeStateLock } from './state-lock.js';
import { parseArgs, variables, type Invocation } from './stand-in-args.js';
import { computePlan, planSummary, type StandInPlan } from './stand-in-plan.js';
import { planJson, stateJson } from './stand-in-json.js';

/** The version the stand-in answers as: the terraform it stands in for. */
const standInVersion = '1.11.4';

/** Output values as terraform records them in the state after an apply: `<resource>.output.<key>` of the configuration's outputs. */
function outputValues(config: CloudConfig, resources: CloudState['resources']): CloudState['outputs'] {
  const outputs: CloudState['outputs'] = {};
  for (const [name, reference] of Object.entries(config.outputs)) {
    const [, resource, key] = /^(.*)\.output\.([^.]+)$/.exec(reference) ?? [];
    const instance = resources.find((candidate) => candidate.resource === resource || candidate.address === resource);
    const value = instance ? resourceValues(instance)[key!] : undefined;
    if (value !== undefined) outputs[name] = { value, type: typeof value === 'number' ? 'number' : 'string' };
  }
  return outputs;
}

function printPlan(plan: StandInPlan, state: CloudState): void {
  const { add, destroy, replaced } = planSummary(plan, state);
  for (const address of plan.destroy) if (!replaced.has(address)) console.log(`  # ${address} will be destroyed`);
  for (const address of replaced) console.log(`  # ${address} is tainted, so must be replaced`);
  for (const item of plan.create) if (!replaced.has(item.address)) console.log(`  # ${item.address} will be created`);
  if (add + destroy === 0) console.log('No changes. Your infrastructure matches the configuration.');
  else console.log(`\nPlan: ${add} to add, 0 to change, ${destroy} to destroy.`);
}

async function initialised(dir: string): Promise<boolean> {
  try {
    await stat(join(dir, '.terraform'));
    return true;
  } catch {
    console.error(
      'Error: Inconsistent dependency lock file\n\nThe working directory has not been initialized; run "terraform init".',
    );
    return false;
  }
}

/** A saved plan, as the stand-in writes it: the changes and the state serial they were planned against. */
interface SavedPlan {
  format: 'jhub-sandbox-plan';
  plan: StandInPlan;
  targeted: boolean;
}

async function readSavedPlan(path: string): Promise<SavedPlan | undefined> {
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as SavedPlan;
    return saved.format === 'jhub-sandbox-plan' ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the plan's destroys then creates, each a call to the simulated cloud; a refused create leaves its resource tainted, as a failed provisioner does. */
async function applyPlan(
  invocation: Invocation,
  config: CloudConfig,
  state: CloudState,
  plan: StandInPlan,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const settings = cloudSettings(env);
  const asked = String((await variables(invocation, config, env))['floating_ip_address'] ?? '');
  const resources: StateInstance[] = [...state.resources];
  const idOf = (resource: string) =>
    resources.find((instance) => instance.resource === resource && !instance.tainted)?.attributes['id'] as
      string | undefined;
  let failure: string | undefined;
  let destroyed = 0;
  let added = 0;
  for (const address of plan.destroy) {
    const at = resources.findIndex((instance) => instance.address === address);
    if (at < 0) continue;
    const values = resourceValues(resources[at]!);
    await callCloud(settings, {
      op: 'delete',
      kind: String(values['kind'] ?? resources[at]!.type),
      id: String(resources[at]!.attributes['id']),
      ...(values['name'] ? { name: String(values['name']) } : {}),
    });
    resources.splice(at, 1);
    destroyed += 1;
    console.log(`${address}: Destruction complete`);
  }
  const failed = new Set<string>();
  for (const item of plan.create) {
    // As terraform's graph walk: after a failure, what does not depend on it is still made.
    if (recordedDependencies(config, item.block).some((dependency) => failed.has(dependency))) continue;
    const id = randomUUID();
    const input = instanceInput(item.block, item.index, idOf);
    if (item.block.allocated === 'address') input['address'] = asked || allocateAddress();
    const error = await callCloud(settings, {
      op: 'create',
      kind: input['kind'] ?? blockType(item.block),
      id,
      ...(input['name'] ? { name: input['name'] } : {}),
      ...(input['address'] ? { address: input['address'] } : {}),
    });
    const instance: StateInstance = {
      address: item.address,
      resource: item.resource,
      mode: 'managed',
      type: blockType(item.block),
      name: item.block.name,
      ...(item.block.module ? { module: item.block.module } : {}),
      ...(item.index !== undefined ? { index: item.index } : {}),
      dependencies: recordedDependencies(config, item.block),
      attributes: terraformDataAttributes(id, input),
      ...(error ? { tainted: true } : {}),
    };
    const at = resources.findIndex((candidate) => candidate.address === item.address);
    if (at >= 0) resources.splice(at, 1, instance);
    else resources.push(instance);
    if (error) {
      failure ??= `Error: local-exec provisioner error\n\n  with ${item.address},\n  in resource "${instance.type}" "${item.block.name}":\n\nError running command 'create': exit status 1. Output: ${error}`;
      failed.add(item.resource);
      continue;
    }
    added += 1;
    console.log(`${item.address}: Creation complete after 0s [id=${id}]`);
  }
  await writeState(invocation.dir, { ...state, resources, outputs: outputValues(config, resources) });
  if (failure) {
    console.error(failure);
    return 1;
  }
  console.log(
    plan.destroying
      ? `\nDestroy complete! Resources: ${destroyed} destroyed.`
      : `\nApply complete! Resources: ${added} added, 0 changed, ${destroyed} destroyed.`,
  );
  return 0;
}

/** A terraform/OpenTofu stand-in for the simulated cloud: same commands, flags, exit codes, state and JSON as terraform 1.11 on the sandbox's configuration. */
export async function terraformCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const invocation = parseArgs(argv);
  const [command] = invocation.command;
  if (command === 'force-unlock') return forceUnlock(invocation);
  const locking =
    ['plan', 'apply', 'destroy'].includes(command ?? '') || (command === 'state' && invocation.command[1] === 'rm');
  if (locking && !(await initialised(invocation.dir))) return 1;
  if (!locking || invocation.flags.get('lock')?.[0] === 'false') return runCommand(invocation, env);
  const lock = await takeStateLock(
    invocation.dir,
    command === 'plan' ? 'OperationTypePlan' : command === 'state' ? 'OperationTypeInvalid' : 'OperationTypeApply',
  );
  if (!lock) return 1;
  try {
    return await runCommand(invocation, env);
  } finally {
    await releaseStateLock(invocation.dir, lock);
  }
}

async function runCommand(invocation: Invocation, env: NodeJS.ProcessEnv): Promise<number> {
  const [command, subcommand, ...rest] = invocation.command;
  if (command === 'version' || invocation.switches.has('version')) {
    console.log(
      invocation.switches.has('json')
        ? JSON.stringify({ terraform_version: standInVersion, platform: 'linux_amd64', stand_in: true })
        : `Terraform v${standInVersion} (the sandbox's stand-in)\non linux_amd64`,
    );
    return 0;
  }
  if (command === 'init') {
    await readCloudConfig(invocation.dir);
    await mkdir(join(invocation.dir, '.terraform'), { recursive: true });
    console.log('Terraform has been successfully initialized!');
    return 0;
  }
  if (!(await initialised(invocation.dir))) return 1;
  const targets = invocation.flags.get('target') ?? [];
  if (command === 'plan') {
    const config = await readCloudConfig(invocation.dir);
    const state = await readState(invocation.dir);
    const plan = computePlan(
      config,
      state,
      await variables(invocation, config, env),
      targets,
      invocation.switches.has('destroy'),
    );
    printPlan(plan, state);
    const out = invocation.flags.get('out')?.[0];
    if (out)
      await writeFile(
        resolve(invocation.dir, out),
        JSON.stringify({ format: 'jhub-sandbox-plan', plan, targeted: targets.length > 0 } satisfies SavedPlan),
        { mode: 0o600 },
      );
    const changed = plan.create.length + plan.destroy.length > 0;
    return invocation.switches.has('detailed-exitcode') && changed ? 2 : 0;
  }
  if (command === 'apply' || command === 'destroy') {
    const config = await readCloudConfig(invocation.dir);
    const state = await readState(invocation.dir);
    if (command === 'apply' && subcommand) {
      const saved = await readSavedPlan(resolve(invocation.dir, subcommand));
      if (!saved) {
        console.error(`Error: Failed to load "${subcommand}" as a plan file`);
        return 1;
      }
      if (saved.plan.lineage !== state.lineage || saved.plan.serial !== state.serial) {
        console.error(
          'Error: Saved plan is stale\n\nThe given plan file can no longer be applied because the state was changed by another operation after the plan was created.',
        );
        return 1;
      }
      return applyPlan(invocation, config, state, saved.plan, env);
    }
    if (!invocation.switches.has('auto-approve')) {
      console.error('Error: the simulated cloud only runs with -auto-approve or a saved plan');
      return 1;
    }
    const plan = computePlan(
      config,
      state,
      await variables(invocation, config, env),
      targets,
      command === 'destroy' || invocation.switches.has('destroy'),
    );
    return applyPlan(invocation, config, state, plan, env);
  }
  if (command === 'state' && subcommand === 'list') {
    for (const resource of (await readState(invocation.dir)).resources) console.log(resource.address);
    return 0;
  }
  if (command === 'state' && subcommand === 'rm') {
    const state = await readState(invocation.dir);
    const removing = state.resources.filter((resource) =>
      rest.some((target) => addressMatches(resource.address, target)),
    );
    const unmatched = rest.filter(
      (target) => !state.resources.some((resource) => addressMatches(resource.address, target)),
    );
    if (rest.length === 0 || unmatched.length) {
      console.error(
        rest.length
          ? `Error: Invalid target address\n\nNo matching objects found. To view the available instances, use "terraform state list". Please modify the address to reference a specific instance: ${unmatched.join(', ')}`
          : 'Error: At least one address is required.',
      );
      return 1;
    }
    const gone = new Set(removing.map((resource) => resource.address));
    await writeState(invocation.dir, {
      ...state,
      resources: state.resources.filter((resource) => !gone.has(resource.address)),
    });
    for (const address of gone) console.log(`Removed ${address}`);
    console.log(`Successfully removed ${gone.size} resource instance(s).`);
    return 0;
  }
  if (command === 'output') {
    const state = await readState(invocation.dir);
    const outputs = Object.fromEntries(
      Object.entries(state.outputs).map(([name, output]) => [name, { sensitive: false, ...output }]),
    );
    console.log(JSON.stringify(outputs, null, 2));
    return 0;
  }
  if (command === 'show') {
    if (!invocation.switches.has('json')) {
      console.error('Error: the simulated cloud only prints `show -json`');
      return 1;
    }
    const state = await readState(invocation.dir);
    if (!subcommand) {
      console.log(JSON.stringify(stateJson(state)));
      return 0;
    }
    const saved = await readSavedPlan(resolve(invocation.dir, subcommand));
    if (!saved) {
      console.error(`Error: Failed to read the given file as a state or plan file: ${subcommand}`);
      return 1;
    }
    console.log(JSON.stringify(planJson(saved.plan, state, await readCloudConfig(invocation.dir), saved.targeted)));
    return 0;
  }
  console.error(`Error: the simulated cloud does not know the command "${invocation.command.join(' ')}"`);
  return 1;
}
