import { Type } from '@sinclair/typebox';
import type { ExecResult } from '../exec/exec-result.js';
import { definePlugin, type StepPlan } from './contract.js';
import { PlanError } from './plan-error.js';
import { stateLockMessage } from './terraform/state-lock-error.js';
import { terraformArgs, terraformBase, terraformFromVars, variableEnv, variableFlags } from './terraform/terraform-args.js';

const schema = Type.Object(
  {
    ...terraformArgs,
    allow_destroy: Type.Optional(Type.Boolean({ description: 'Go on when the plan destroys something (default false: destroying is terraform.destroy\'s job, behind its guards).' })),
  },
  { additionalProperties: false },
);

/** Addresses the plan says it will destroy or replace. */
function doomed(planText: string): string[] {
  return [...planText.matchAll(/^\s*# (\S+) (?:will be destroyed|must be replaced)/gm)].map((match) => match[1]!);
}

/** `terraform apply`, decided by `plan -detailed-exitcode` (0 nothing to do, 2 changes, 1 error). */
export const terraformApplyPlugin = definePlugin({
  name: 'terraform.apply',
  summary: 'Apply the configuration when `terraform plan -detailed-exitcode` finds changes; shows the plan.',
  schema,
  varDefaults: { terraform_binary: 'terraform' },
  argsFromVars: terraformFromVars,
  async probe(args, io): Promise<ExecResult> {
    const env = variableEnv(args);
    return io.run([...terraformBase(args), 'plan', '-detailed-exitcode', '-input=false', '-no-color', ...variableFlags(args)], env ? { env } : {});
  },
  plan(args, facts): StepPlan {
    const env = variableEnv(args);
    const action = { kind: 'exec' as const, argv: [...terraformBase(args), 'apply', '-auto-approve', '-input=false', '-no-color', ...variableFlags(args)], ...(env ? { env } : {}) };
    if (!facts) return { change: 'update', reason: `apply ${args.dir ?? '.'}`, actions: [action] };
    if (facts.exitCode === 0) return { change: 'none', reason: 'the infrastructure matches the configuration', actions: [] };
    if (facts.exitCode !== 2) throw new PlanError(stateLockMessage(facts.stderr, terraformBase(args)) ?? `terraform plan failed: ${(facts.stderr || facts.stdout).trim()}`);
    const summary = /Plan: .*$/m.exec(facts.stdout)?.[0] ?? 'changes';
    const destroyed = Number(/(\d+) to destroy/.exec(summary)?.[1] ?? 0);
    if (destroyed > 0 && !args.allow_destroy) {
      const named = doomed(facts.stdout);
      throw new PlanError(`the plan destroys ${destroyed} resource(s)${named.length ? ` (${named.join(', ')})` : ''}; terraform.apply only destroys with allow_destroy: true`);
    }
    return { change: 'update', reason: summary, actions: [action], diffs: [{ path: `terraform plan (${args.dir ?? '.'})`, before: undefined, after: undefined, patch: facts.stdout }] };
  },
});
