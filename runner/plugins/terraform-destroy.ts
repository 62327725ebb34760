import { Type, type Static } from '@sinclair/typebox';
import { definePlugin, type ProbeIO, type StepPlan } from './contract.js';
import { PlanError, PlanRefusal } from './plan-error.js';
import { stateLockMessage } from './terraform/state-lock-error.js';
import { terraformArgs, terraformBase, terraformFromVars, variableEnv, variableFlags } from './terraform/terraform-args.js';
import { addressMatches, destroyClosure, parseTfstate } from './terraform/tfstate.js';

const schema = Type.Object(
  {
    ...terraformArgs,
    keep: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Resource addresses to keep (the seed keeps the floating IP and router): everything else is destroyed with -target.',
      }),
    ),
    recreate_vars: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
        description: 'The variables the infrastructure will be recreated with (a rebuild\'s terraform_vars): before destroying, a plan with them must remove no instance, or the rebuild would silently shrink the cluster.',
        additionalProperties: false,
      }),
    ),
    allow_scale_down: Type.Optional(Type.Boolean({ description: 'Go on when the recreated infrastructure would have fewer instances than the site has now (default false).' })),
  },
  { additionalProperties: false },
);

interface DestroyFacts {
  /** Managed resource instances in the state. */
  addresses: string[];
  /** Instances a plan with `recreate_vars` would remove: what the recreated infrastructure would lack. */
  shrinks?: string[];
  /** What terraform would destroy with the computed targets (dependents included). */
  doomed: string[];
  source: 'terraform.tfstate' | 'terraform plan';
}

function kept(address: string, keep: string[]): boolean {
  return keep.some((item) => addressMatches(address, item));
}

function localStatePath(args: { dir?: string }): string {
  return `${args.dir ?? '.'}/terraform.tfstate`;
}

/** `terraform destroy`, or "everything except these addresses", computed from `terraform state list`. */
export const terraformDestroyPlugin = definePlugin({
  name: 'terraform.destroy',
  summary: 'Destroy the infrastructure, or all of it except a keep-list; refuses when terraform would take a kept resource with it.',
  schema,
  varDefaults: { terraform_binary: 'terraform' },
  argsFromVars: terraformFromVars,
  effects: (args) => ({ destroys: { what: args.keep?.length ? `the infrastructure in ${args.dir ?? '.'}, all but ${args.keep.join(', ')}` : `the whole infrastructure in ${args.dir ?? '.'}` } }),
  async probe(args, io): Promise<DestroyFacts> {
    const facts = await destroyFacts(args, io);
    return args.recreate_vars ? { ...facts, shrinks: await instancesLost(args, io) } : facts;
  },
  plan(args, facts): StepPlan {
    const keep = args.keep ?? [];
    const env = variableEnv(args);
    const destroy = (targets: string[]) => ({
      kind: 'exec' as const,
      argv: [...terraformBase(args), 'destroy', '-auto-approve', '-input=false', '-no-color', ...variableFlags(args), ...targets.map((target) => `-target=${target}`)],
      ...(env ? { env } : {}),
    });
    if (!facts) {
      const reason = keep.length ? `destroy everything in ${args.dir ?? '.'} except ${keep.join(', ')} (targets come from terraform state list)` : `destroy everything in ${args.dir ?? '.'}`;
      return { change: 'delete', reason, actions: [destroy([])], destroys: { what: reason.replace(/^destroy /, '') } };
    }
    const targets = facts.addresses.filter((address) => !kept(address, keep));
    if (targets.length === 0) return { change: 'none', reason: keep.length ? `only kept resources remain: ${facts.addresses.join(', ') || 'none'}` : 'nothing to destroy', actions: [] };
    if (facts.shrinks?.length && !args.allow_scale_down) {
      const recreate = Object.entries(args.recreate_vars ?? {}).map(([name, value]) => `${name}=${value}`).join(', ') || 'the configuration\'s defaults';
      throw new PlanRefusal(
        `the infrastructure would come back with ${facts.shrinks.length} instance(s) fewer than the site has now (${facts.shrinks.join(', ')}) with ${recreate}; a rebuild recreates at least what it destroys. ` +
          'Set the instance count the site has now in terraform_vars, or allow_scale_down: true to shrink on purpose',
      );
    }
    const caught = facts.doomed.filter((address) => kept(address, keep));
    if (caught.length > 0) throw new PlanError(`destroying ${targets.join(', ')} would also destroy kept ${caught.join(', ')}, which depend on them; keep what they depend on too`);
    const missing = keep.filter((item) => !facts.addresses.some((address) => kept(address, [item])));
    const note = missing.length ? ` (not in state, so nothing to keep: ${missing.join(', ')})` : '';
    return {
      change: 'delete',
      reason: `destroy ${facts.doomed.length || targets.length} resource(s)${keep.length ? `, keeping ${keep.join(', ')}` : ''}${note}`,
      actions: [destroy(keep.length ? targets : [])],
      destroys: { what: `${facts.doomed.length || targets.length} terraform resource(s) in ${args.dir ?? '.'}: ${(facts.doomed.length ? facts.doomed : targets).join(', ')}` },
      data: { destroyed: facts.doomed.length ? facts.doomed : targets, kept: facts.addresses.filter((address) => kept(address, keep)) },
    };
  },
});

/** Instances a plan with the recreate variables would destroy: existing ones the recreated infrastructure would not have. */
async function instancesLost(args: Static<typeof schema>, io: ProbeIO): Promise<string[]> {
  const env = variableEnv({ vars: args.recreate_vars ?? {} });
  const planned = await io.run([...terraformBase(args), 'plan', '-detailed-exitcode', '-input=false', '-no-color', ...variableFlags(args)], env ? { env } : {});
  if (planned.exitCode === 1) throw new PlanError(stateLockMessage(planned.stderr, terraformBase(args)) ?? `terraform plan with the recreate variables failed: ${(planned.stderr || planned.stdout).trim()}`);
  return [...planned.stdout.matchAll(/^\s*# (\S*compute_instance\S*) will be destroyed/gm)].map((match) => match[1]!);
}

async function destroyFacts(args: Static<typeof schema>, io: ProbeIO): Promise<DestroyFacts> {
  // A local state file answers without running terraform, so a dry run can list the targets too.
  const local = await io.readFile(localStatePath(args));
  if (local !== undefined) {
    let instances;
    try {
      instances = parseTfstate(local).filter((instance) => instance.mode === 'managed');
    } catch (error) {
      throw new PlanError(`${localStatePath(args)}: ${(error as Error).message}`);
    }
    const addresses = instances.map((instance) => instance.address);
    const targets = args.keep?.length ? addresses.filter((address) => !kept(address, args.keep ?? [])) : addresses;
    return { addresses, doomed: targets.length ? destroyClosure(instances, targets) : [], source: 'terraform.tfstate' };
  }
  const base = terraformBase(args);
  const listed = await io.run([...base, 'state', 'list']);
  if (listed.exitCode !== 0) throw new PlanError(stateLockMessage(listed.stderr, base) ?? `terraform state list failed: ${(listed.stderr || listed.stdout).trim()}`);
  const addresses = listed.stdout.split('\n').map((line) => line.trim()).filter((line) => line && !/(^|\.)data\./.test(line));
  const targets = addresses.filter((address) => !kept(address, args.keep ?? []));
  if (targets.length === 0) return { addresses, doomed: [], source: 'terraform plan' };
  const env = variableEnv(args);
  const planned = await io.run(
    [...base, 'plan', '-destroy', '-detailed-exitcode', '-input=false', '-no-color', ...variableFlags(args), ...(args.keep?.length ? targets.map((target) => `-target=${target}`) : [])],
    env ? { env } : {},
  );
  if (planned.exitCode === 1) throw new PlanError(stateLockMessage(planned.stderr, base) ?? `terraform plan -destroy failed: ${(planned.stderr || planned.stdout).trim()}`);
  const doomed = [...planned.stdout.matchAll(/# (\S+) will be destroyed/g)].map((match) => match[1]!);
  return { addresses, doomed, source: 'terraform plan' };
}
