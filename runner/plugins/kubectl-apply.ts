import { Type } from '@sinclair/typebox';
import { namespaceName } from '../input/kube-names.js';
import type { ExecResult } from '../exec/exec-result.js';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { manifestInput, manifestSourceArgs } from './kube/manifest-source.js';

const schema = Type.Object(
  {
    ...manifestSourceArgs,
    namespace: Type.Optional(namespaceName('Namespace for objects that do not name one.')),
    server_side: Type.Optional(Type.Boolean({ description: 'Use server-side apply.' })),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

/** `kubectl apply`, decided by `kubectl diff`: exit 0 nothing differs, 1 something does, anything else is an error. */
export const kubectlApplyPlugin = definePlugin({
  name: 'kubectl.apply',
  summary: 'Apply manifests (files or inline) when `kubectl diff` finds a difference; shows that diff.',
  schema,
  heads: [kubectlHead],
  async probe(args, io): Promise<ExecResult> {
    if (!args.files && args.manifest === undefined) throw new PlanError('kubectl.apply needs files or manifest');
    const { argv, input } = manifestInput(args);
    const kubectl = [...kubectlHead.argv(args), ...(args.namespace ? ['--namespace', args.namespace] : [])];
    return io.run(
      [...kubectl, 'diff', ...(args.server_side ? ['--server-side'] : []), ...argv],
      input !== undefined ? { input } : {},
    );
  },
  plan(args, facts): StepPlan {
    const { argv, input } = manifestInput(args);
    const kubectl = [...kubectlHead.argv(args), ...(args.namespace ? ['--namespace', args.namespace] : [])];
    const what = args.files ? args.files.join(', ') : 'inline manifest';
    const action = {
      kind: 'exec' as const,
      argv: [...kubectl, 'apply', ...(args.server_side ? ['--server-side'] : []), ...argv],
      ...(input !== undefined ? { input } : {}),
    };
    if (!facts) return { change: 'update', reason: `apply ${what}`, actions: [action] };
    if (facts.exitCode === 0) return { change: 'none', reason: `${what}: no differences`, actions: [] };
    if (facts.exitCode !== 1)
      throw new PlanError(`kubectl diff failed (exit ${facts.exitCode}): ${(facts.stderr || facts.stdout).trim()}`);
    return {
      change: 'update',
      reason: `apply ${what}`,
      actions: [action],
      diffs: [{ path: what, before: undefined, after: undefined, patch: facts.stdout }],
    };
  },
});
