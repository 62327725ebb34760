import type { StateInstance } from '../support/terraform-state.js';
import { instanceInput, resourceAddress, type CloudConfig } from './cloud-config.js';
import type { CloudState } from './cloud-state.js';
import type { StandInPlan } from './stand-in-plan.js';

const version = '1.11.4';

function providerName(type: string): string {
  return type === 'terraform_data'
    ? 'terraform.io/builtin/terraform'
    : 'registry.terraform.io/terraform-provider-openstack/openstack';
}

/** Attribute values as `show -json` prints them: a terraform_data's input and output without their types. */
function plainValues(attributes: Record<string, unknown>): Record<string, unknown> {
  const plain = (value: unknown) =>
    value && typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value;
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => [key, key === 'input' || key === 'output' ? plain(value) : value]),
  );
}

function resourceJson(instance: StateInstance): object {
  return {
    address: instance.address,
    mode: instance.mode,
    type: instance.type,
    name: instance.name,
    ...(instance.index !== undefined ? { index: instance.index } : {}),
    provider_name: providerName(instance.type),
    schema_version: 0,
    values: plainValues(instance.attributes),
    sensitive_values: {},
    ...(instance.dependencies.length ? { depends_on: instance.dependencies } : {}),
  };
}

/** The state as `terraform show -json` prints it: root resources, and one child module per module. */
export function stateValues(state: CloudState): object {
  const root = state.resources.filter((instance) => !instance.module);
  const modules = [...new Set(state.resources.flatMap((instance) => (instance.module ? [instance.module] : [])))];
  const outputs = Object.fromEntries(
    Object.entries(state.outputs).map(([name, output]) => [
      name,
      { sensitive: false, value: output.value, type: output.type },
    ]),
  );
  return {
    outputs,
    root_module: {
      ...(root.length ? { resources: root.map(resourceJson) } : {}),
      ...(modules.length
        ? {
            child_modules: modules.map((module) => ({
              address: module,
              resources: state.resources.filter((instance) => instance.module === module).map(resourceJson),
            })),
          }
        : {}),
    },
  };
}

export function stateJson(state: CloudState): object {
  if (state.resources.length === 0 && Object.keys(state.outputs).length === 0) return { format_version: '1.0' };
  return { format_version: '1.0', terraform_version: version, values: stateValues(state) };
}

/** A saved plan as `terraform show -json PLANFILE` prints it: the changes, the state they were planned against, and whether it was targeted. */
export function planJson(plan: StandInPlan, state: CloudState, config: CloudConfig, targeted: boolean): object {
  const byAddress = new Map(state.resources.map((instance) => [instance.address, instance]));
  const creating = new Set(plan.create.map((item) => item.address));
  const changes = [
    ...plan.destroy.map((address) => {
      const instance = byAddress.get(address)!;
      const actions = creating.has(address) ? ['delete', 'create'] : ['delete'];
      return {
        address,
        ...(instance.tainted && creating.has(address) ? { action_reason: 'replace_because_tainted' } : {}),
        ...(instance.module ? { module_address: instance.module } : {}),
        mode: 'managed',
        type: instance.type,
        name: instance.name,
        ...(instance.index !== undefined ? { index: instance.index } : {}),
        provider_name: providerName(instance.type),
        change: { actions, before: plainValues(instance.attributes), after: null, after_unknown: {} },
      };
    }),
    ...plan.create
      .filter((item) => !byAddress.has(item.address))
      .map((item) => ({
        address: item.address,
        ...(item.block.module ? { module_address: item.block.module } : {}),
        mode: 'managed',
        type: item.block.type ?? 'terraform_data',
        name: item.block.name,
        ...(item.index !== undefined ? { index: item.index } : {}),
        provider_name: providerName(item.block.type ?? 'terraform_data'),
        change: {
          actions: ['create'],
          before: null,
          after: { input: instanceInput(item.block, item.index, () => undefined), triggers_replace: null },
          after_unknown: { id: true, output: true },
        },
      })),
  ];
  const resourcesOf = new Set(config.resources.map(resourceAddress));
  // terraform lists changes by address, instance keys in numeric order.
  const key = (address: string) =>
    [address.replace(/\[[^\]]*\]$/, ''), Number(/\[(\d+)\]$/.exec(address)?.[1] ?? -1)] as const;
  changes.sort((a, b) => key(a.address)[0].localeCompare(key(b.address)[0]) || key(a.address)[1] - key(b.address)[1]);
  return {
    format_version: '1.2',
    terraform_version: version,
    variables: Object.fromEntries(Object.entries(plan.variables).map(([name, value]) => [name, { value }])),
    resource_changes: changes.filter(
      (change) => resourcesOf.has(change.address.replace(/\[[^\]]*\]$/, '')) || byAddress.has(change.address),
    ),
    prior_state: { format_version: '1.0', terraform_version: version, values: stateValues(state) },
    applyable: changes.length > 0,
    complete: !targeted,
    errored: false,
  };
}
