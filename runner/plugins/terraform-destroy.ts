import { Type, type Static } from '@sinclair/typebox';
import { terraformHead } from './tools/terraform-head.js';
import { definePlugin, ProbeUnavailable, type ProbeIO, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { stateLockMessage } from './terraform/state-lock-error.js';
import { terraformArgs, variableEnv, variableFlags } from './terraform/terraform-args.js';
import { addressMatches, destroyClosure, parseTfstate } from './terraform/tfstate.js';
import { refuseCutShortState } from './terraform/local-state.js';
import {
  instanceLabel,
  isFloatingIp,
  isInstance,
  parseShown,
  plannedChanges,
  shownResources,
} from './terraform/plan-json.js';
import { applySaved, savePlan, savedPlanPlaceholder } from './terraform/saved-plan.js';

const schema = Type.Object(
  {
    ...terraformArgs,
    keep: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          'Resource addresses to keep (the seed keeps the floating IP and router): everything else is destroyed with -target.',
      }),
    ),
    recreate_vars: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
        Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
        {
          description:
            "The variables the infrastructure will be recreated with (a rebuild's terraform_vars): before destroying, a plan with them must remove no instance, or the rebuild would silently shrink the cluster.",
          additionalProperties: false,
        },
      ),
    ),
    keep_floating_ips: Type.Optional(
      Type.Boolean({
        description:
          "Keep every floating IP terraform's state holds, whatever `keep` lists (the seed's keep-IP destroy): the plan is refused if it would delete one.",
      }),
    ),
    allow_scale_down: Type.Optional(
      Type.Boolean({
        description:
          'Go on when the recreated infrastructure would have fewer instances than the site has now (default false).',
      }),
    ),
  },
  { additionalProperties: false },
);

type Args = Static<typeof schema>;

/** A managed resource of the state, with what it depends on and whether it is a compute instance. */
interface StateResource {
  address: string;
  dependsOn: string[];
  instance: boolean;
  floatingIp: boolean;
  label: string;
}

interface DestroyFacts {
  resources: StateResource[];
  /** What the destroy takes, dependents included: from terraform's saved plan, or (previews) from the state's dependencies. */
  doomed: string[];
  /** The saved plan that does exactly that; absent when commands could not run. */
  planFile?: string;
  /** Instances a plan with `recreate_vars` would remove: what the recreated infrastructure would lack. */
  shrinks?: string[];
  /** Floating IPs terraform's saved plan deletes, as the plan itself describes them. */
  floatingIpsDeleted?: string[];
}

function kept(address: string, keep: readonly string[]): boolean {
  return keep.some((item) => addressMatches(address, item));
}

function targetsOf(resources: readonly StateResource[], keep: readonly string[]): string[] {
  return resources.map((resource) => resource.address).filter((address) => !kept(address, keep));
}

/** What the destroy keeps: the addresses `keep` lists, and with keep_floating_ips every floating IP the state holds. */
function keptAddresses(args: Args, resources: readonly StateResource[]): string[] {
  const floating = args.keep_floating_ips ? resources.filter((resource) => resource.floatingIp) : [];
  return [...new Set([...(args.keep ?? []), ...floating.map((resource) => resource.address)])];
}

function destroyPlanArgs(args: Args, keep: readonly string[], targets: readonly string[]): string[] {
  return [
    '-destroy',
    '-input=false',
    '-no-color',
    ...variableFlags(args),
    ...(keep.length ? targets.map((target) => `-target=${target}`) : []),
  ];
}

/** The state's managed resources: from a local terraform.tfstate without running anything, else from `show -json`. */
async function stateResources(args: Args, io: ProbeIO): Promise<StateResource[]> {
  const path = `${args.dir ?? '.'}/terraform.tfstate`;
  const local = await io.readFile(path);
  if (local !== undefined) {
    try {
      return parseTfstate(local)
        .filter((instance) => instance.mode === 'managed')
        .map((instance) => {
          const values = {
            ...instance.attributes,
            input:
              (instance.attributes['input'] as { value?: unknown } | undefined)?.value ?? instance.attributes['input'],
          };
          const shown = { address: instance.address, type: instance.type, values };
          return {
            address: instance.address,
            dependsOn: instance.dependencies,
            instance: isInstance(shown),
            floatingIp: isFloatingIp(shown),
            label: instanceLabel(shown),
          };
        });
    } catch (error) {
      throw new PlanError(`${path}: ${(error as Error).message}`);
    }
  }
  const base = terraformHead.argv(args);
  const shown = await io.run([...base, 'show', '-json', '-no-color']);
  if (shown.exitCode !== 0)
    throw new PlanError(
      stateLockMessage(shown.stderr, base) ?? `terraform show -json failed: ${(shown.stderr || shown.stdout).trim()}`,
    );
  return shownResources(parseShown(shown.stdout)).map((resource) => ({
    address: resource.address,
    dependsOn: resource.dependsOn,
    instance: isInstance(resource),
    floatingIp: isFloatingIp(resource),
    label: instanceLabel(resource),
  }));
}

/** Instances a saved plan with the recreate variables would delete: what the recreated infrastructure would lack. */
async function instancesLost(args: Args, io: ProbeIO): Promise<string[]> {
  const plan = await savePlan(
    io,
    terraformHead.argv(args),
    ['-input=false', '-no-color', '-detailed-exitcode', ...variableFlags(args)],
    'recreate.tfplan',
    variableEnv({ vars: args.recreate_vars ?? {} }),
    'terraform plan with the recreate variables',
  );
  if (!plan) return [];
  return plannedChanges(plan.json)
    .filter((change) => change.actions.includes('delete') && isInstance(change))
    .map(instanceLabel);
}

async function destroyFacts(args: Args, io: ProbeIO): Promise<DestroyFacts> {
  await refuseCutShortState(args.dir, io);
  const resources = await stateResources(args, io);
  const targets = targetsOf(resources, keptAddresses(args, resources));
  // What a preview can say from the state alone; terraform's saved plan replaces it when commands run.
  const closure = targets.length
    ? destroyClosure(
        resources.map((resource) => ({
          address: resource.address,
          resource: resource.address.replace(/\[[^\]]*\]$/, ''),
          mode: 'managed' as const,
          type: '',
          name: '',
          dependencies: resource.dependsOn,
          attributes: {},
        })),
        targets,
      )
    : [];
  const facts: DestroyFacts = { resources, doomed: closure };
  if (targets.length === 0) return facts;
  try {
    if (args.recreate_vars) facts.shrinks = await instancesLost(args, io);
    const plan = await savePlan(
      io,
      terraformHead.argv(args),
      destroyPlanArgs(args, keptAddresses(args, resources), targets),
      'destroy.tfplan',
      variableEnv(args),
      'terraform plan -destroy',
    );
    const deletes = plan ? plannedChanges(plan.json).filter((change) => change.actions.includes('delete')) : [];
    return {
      ...facts,
      doomed: deletes.map((change) => change.address),
      floatingIpsDeleted: deletes.filter(isFloatingIp).map((change) => change.address),
      ...(plan ? { planFile: plan.file } : {}),
    };
  } catch (error) {
    if (error instanceof ProbeUnavailable) return facts;
    throw error;
  }
}

/** Why a kept resource goes with the destroy: the targeted resources it depends on. */
function draggedBy(resource: StateResource | undefined, doomed: ReadonlySet<string>): string {
  const through = (resource?.dependsOn ?? []).filter((dependency) =>
    [...doomed].some((address) => addressMatches(address, dependency)),
  );
  return through.length
    ? `${resource!.address} depends on ${through.join(', ')}, which the destroy takes`
    : `terraform's plan deletes ${resource?.address ?? 'it'}`;
}

/**
 * `terraform destroy`, or "everything except these addresses", as a plan terraform saves, this step
 * checks, and then applies exactly: nothing kept goes, no instance stays, and the infrastructure a
 * rebuild recreates is no smaller than what it destroys.
 */
export const terraformDestroyPlugin = definePlugin({
  name: 'terraform.destroy',
  summary:
    'Destroy the infrastructure, or all of it except a keep-list, through a saved plan that is checked first; refuses when terraform would take a kept resource with it.',
  schema,
  reads: ['terraform'],
  destroys: 'always: the instances and the network in its directory, and with them the cluster',
  registers: {
    destroyed: 'the resource addresses it destroys',
    kept: 'those kept (keep, the floating IPs)',
  },
  heads: [terraformHead],
  effects: (args) => ({
    destroys: {
      what:
        args.keep?.length || args.keep_floating_ips
          ? `the infrastructure in ${args.dir ?? '.'}, all but ${[...(args.keep ?? []), ...(args.keep_floating_ips ? ['every floating IP in its state'] : [])].join(', ')}`
          : `the whole infrastructure in ${args.dir ?? '.'}`,
    },
  }),
  probe: destroyFacts,
  plan(args, facts): StepPlan {
    const listed = args.keep ?? [];
    const base = terraformHead.argv(args);
    const env = variableEnv(args);
    // Where the plan is not saved yet (a preview), the commands shown still plan first: never a bare destroy.
    const planThenApply = (keeping: readonly string[], targets: readonly string[]) => [
      {
        kind: 'exec' as const,
        argv: [...base, 'plan', ...destroyPlanArgs(args, keeping, targets), `-out=${savedPlanPlaceholder}`],
        ...(env ? { env } : {}),
      },
      applySaved(base, savedPlanPlaceholder),
    ];
    if (!facts) {
      const kept = [...listed, ...(args.keep_floating_ips ? ['every floating IP in the state'] : [])];
      const reason = kept.length
        ? `destroy everything in ${args.dir ?? '.'} except ${kept.join(', ')} (targets come from the state; terraform's saved plan is checked before it is applied)`
        : `destroy everything in ${args.dir ?? '.'} (terraform's saved plan is checked before it is applied)`;
      // The targets are still to be read from the state; copied into a shell, the placeholder fails instead of destroying what is kept.
      const targets = kept.length ? [`<every address in the state but ${kept.join(', ')}>`] : [];
      return {
        change: 'delete',
        reason,
        actions: planThenApply(kept, targets),
        destroys: { what: reason.replace(/^destroy /, '') },
      };
    }
    const keep = keptAddresses(args, facts.resources);
    const targets = targetsOf(facts.resources, keep);
    const addresses = facts.resources.map((resource) => resource.address);
    if (targets.length === 0)
      return {
        change: 'none',
        reason: keep.length ? `only kept resources remain: ${addresses.join(', ') || 'none'}` : 'nothing to destroy',
        actions: [],
      };
    if (facts.shrinks?.length && !args.allow_scale_down) {
      const recreate =
        Object.entries(args.recreate_vars ?? {})
          .map(([name, value]) => `${name}=${value}`)
          .join(', ') || "the configuration's defaults";
      throw new PlanRefusal(
        `the infrastructure would come back with ${facts.shrinks.length} instance(s) fewer than the site has now (${facts.shrinks.join(', ')}) with ${recreate}; a rebuild recreates at least what it destroys. ` +
          'Set the instance count the site has now in terraform_vars, or allow_scale_down: true to shrink on purpose',
      );
    }
    const doomed = new Set(facts.doomed);
    const caught = facts.resources.filter((resource) => doomed.has(resource.address) && kept(resource.address, keep));
    if (caught.length > 0) {
      throw new PlanRefusal(
        `the destroy would also take kept ${caught.map((resource) => resource.address).join(', ')}: ${caught.map((resource) => draggedBy(resource, doomed)).join('; ')}. Keep what they depend on too; nothing was destroyed`,
      );
    }
    // The plan itself, whatever the state said: a floating IP it deletes is refused even where no kept address names it.
    if (args.keep_floating_ips && facts.floatingIpsDeleted?.length)
      throw new PlanRefusal(
        `terraform's plan deletes floating IP ${facts.floatingIpsDeleted.join(', ')}, which this destroy keeps whatever keep lists; nothing was destroyed`,
      );
    const standing = facts.resources.filter((resource) => resource.instance && !doomed.has(resource.address));
    if (standing.length > 0) {
      throw new PlanRefusal(
        `the destroy would leave ${standing.length} instance(s) standing (${standing.map((resource) => resource.label).join(', ')}): a rebuild recreates every instance, so keep only what must outlive it (floating IP, router); nothing was destroyed`,
      );
    }
    const missing = listed.filter((item) => !addresses.some((address) => kept(address, [item])));
    const note = missing.length ? ` (not in state, so nothing to keep: ${missing.join(', ')})` : '';
    const list = [...doomed];
    return {
      change: 'delete',
      reason: `destroy ${list.length} resource(s)${keep.length ? `, keeping ${keep.join(', ')}` : ''}${note}${facts.planFile ? '' : " (terraform's saved plan is checked before it is applied)"}`,
      actions: facts.planFile ? [applySaved(base, facts.planFile)] : planThenApply(keep, targets),
      destroys: { what: `${list.length} terraform resource(s) in ${args.dir ?? '.'}: ${list.join(', ')}` },
      data: { destroyed: list, kept: addresses.filter((address) => kept(address, keep)) },
    };
  },
});
