import { Type, type Static } from '@sinclair/typebox';
import { terraformHead } from './tools/terraform-head.js';
import { definePlugin, type ProbeIO, type StepPlan } from '../plugin-contract/contract.js';
import { PlanRefusal } from '../plugin-contract/plan-error.js';
import { terraformArgs, variableEnv, variableFlags } from './terraform/terraform-args.js';
import { instanceLabel, isInstance, plannedChanges, shownResources } from './terraform/plan-json.js';
import { applySaved, savePlan, savedPlanPlaceholder } from './terraform/saved-plan.js';
import { refuseCutShortState } from './terraform/local-state.js';

const schema = Type.Object(
  {
    ...terraformArgs,
    allow_destroy: Type.Optional(
      Type.Boolean({
        description:
          "Go on when the plan destroys something, such as instances a smaller worker count removes (default false: destroying is terraform.destroy's job, behind its guards).",
      }),
    ),
  },
  { additionalProperties: false },
);

type Args = Static<typeof schema>;

interface ApplyFacts {
  /** Absent when terraform finds nothing to do. */
  plan?: {
    file: string;
    text: string;
    add: number;
    change: number;
    destroy: number;
    /** Resources the plan deletes (replacements too), instances named; a tainted one it makes again is not among them. */
    deleted: string[];
    /** Resources a failed create left tainted, which the plan makes again. */
    remade: string[];
    instancesBefore: number;
    instancesAfter: number;
  };
}

const label = (change: { address: string; type: string; values: Record<string, unknown> }) =>
  isInstance(change) ? instanceLabel(change) : change.address;

const planArgs = (args: Args) => ['-input=false', '-no-color', '-detailed-exitcode', ...variableFlags(args)];

async function applyFacts(args: Args, io: ProbeIO): Promise<ApplyFacts> {
  await refuseCutShortState(args.dir, io);
  const saved = await savePlan(
    io,
    terraformHead.argv(args),
    planArgs(args),
    'apply.tfplan',
    variableEnv(args),
    'terraform plan',
  );
  if (!saved) return {};
  const changes = plannedChanges(saved.json);
  const count = (action: string) => changes.filter((change) => change.actions.includes(action)).length;
  const instancesBefore = shownResources(saved.json).filter(isInstance).length;
  const instanceDelta = changes
    .filter(isInstance)
    .reduce(
      (delta, change) =>
        delta + (change.actions.includes('create') ? 1 : 0) - (change.actions.includes('delete') ? 1 : 0),
      0,
    );
  return {
    plan: {
      file: saved.file,
      text: saved.text,
      add: count('create'),
      change: count('update'),
      destroy: count('delete'),
      deleted: changes
        .filter((change) => change.actions.includes('delete') && change.reason !== 'replace_because_tainted')
        .map(label),
      remade: changes.filter((change) => change.reason === 'replace_because_tainted').map(label),
      instancesBefore,
      instancesAfter: instancesBefore + instanceDelta,
    },
  };
}

/** `terraform apply` of a saved plan this step read first: the instance count it ends with is shown, and a plan that destroys is refused unless allowed. */
export const terraformApplyPlugin = definePlugin({
  name: 'terraform.apply',
  summary:
    'Apply the configuration through a saved plan, read first: shows the instance count change, and refuses to destroy unless allowed.',
  schema,
  heads: [terraformHead],
  probe: applyFacts,
  plan(args, facts): StepPlan {
    const base = terraformHead.argv(args);
    const env = variableEnv(args);
    if (!facts) {
      return {
        change: 'update',
        reason: `apply ${args.dir ?? '.'} (through a saved plan, read before it is applied)`,
        actions: [
          {
            kind: 'exec',
            argv: [...base, 'plan', ...planArgs(args), `-out=${savedPlanPlaceholder}`],
            ...(env ? { env } : {}),
          },
          applySaved(base, savedPlanPlaceholder),
        ],
      };
    }
    const plan = facts.plan;
    if (!plan) return { change: 'none', reason: 'the infrastructure matches the configuration', actions: [] };
    const instances =
      plan.instancesAfter === plan.instancesBefore
        ? ''
        : `; instances ${plan.instancesBefore} → ${plan.instancesAfter}`;
    if (plan.deleted.length > 0 && !args.allow_destroy) {
      throw new PlanRefusal(
        `the plan destroys ${plan.deleted.length} resource(s) (${plan.deleted.join(', ')})${instances}; terraform.apply only destroys with allow_destroy: true (scale-cluster: allow_scale_down: true, after draining the nodes); nothing was changed`,
      );
    }
    const remade = plan.remade.length
      ? `; makes again what a failed create left tainted: ${plan.remade.join(', ')}`
      : '';
    return {
      change: 'update',
      reason: `Plan: ${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy${instances}${remade}`,
      actions: [applySaved(base, plan.file)],
      diffs: [{ path: `terraform plan (${args.dir ?? '.'})`, before: undefined, after: undefined, patch: plan.text }],
    };
  },
});
