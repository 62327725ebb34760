import { Type } from '@sinclair/typebox';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import type { ExecResult } from '../exec/exec-result.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { describeSelection, objectArgs, objectSelection } from './kube/object-args.js';
import { explainNotReady } from './kube/not-ready.js';

/** What an omitted argument is: the schema's defaults, which the validator fills in, and the plan's fallbacks. */
const defaults = { timeout: 300, interval: 5 } as const;

const schema = Type.Object(
  {
    ...objectArgs,
    for: Type.String({
      minLength: 1,
      description:
        'What to wait for: `rollout` (kubectl rollout status), or what kubectl wait --for takes: condition=Ready, delete, jsonpath={.status.phase}=Bound...',
    }),
    timeout: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, default: defaults.timeout, description: 'Seconds to wait at most.' }),
    ),
    interval: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, default: defaults.interval, description: 'Seconds between checks.' }),
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

/** `kubectl wait --for=...` or `kubectl rollout status`, checked once per interval without blocking until it holds. */
export const kubectlWaitPlugin = definePlugin({
  name: 'kubectl.wait',
  summary: 'Wait until objects meet a condition (kubectl wait --for); ok at once when they already do.',
  schema,
  heads: [kubectlHead],
  explainFailure: async (args, io) =>
    args.namespace ? explainNotReady(io, kubectlHead.argv(args), args.namespace) : [],
  async probe(args, io): Promise<ExecResult> {
    const kubectl = kubectlHead.argv(args);
    if (args.for === 'rollout') {
      return io.run([
        ...kubectl,
        'rollout',
        'status',
        `${args.kind}/${args.name ?? ''}`,
        ...(args.namespace ? ['--namespace', args.namespace] : []),
        '--watch=false',
      ]);
    }
    // kubectl wait needs a name, a selector or --all.
    return io.run([
      ...kubectl,
      'wait',
      ...objectSelection(args),
      ...(args.name || args.selector ? [] : ['--all']),
      `--for=${args.for}`,
      '--timeout=0s',
    ]);
  },
  plan(args, facts): StepPlan {
    const waitingFor =
      args.for === 'rollout'
        ? `the rollout of ${describeSelection(args)}`
        : `${describeSelection(args)} to meet ${args.for}`;
    const poll = {
      waitingFor,
      intervalSeconds: args.interval ?? defaults.interval,
      timeoutSeconds: args.timeout ?? defaults.timeout,
    };
    if (args.for === 'rollout' && !args.name) throw new PlanError('kubectl.wait for: rollout needs a name');
    if (!facts) return { change: 'run', reason: `wait for ${waitingFor}`, actions: [], poll };
    // rollout status --watch=false exits 0 while still waiting; only its message says it is done.
    const done =
      args.for === 'rollout'
        ? facts.exitCode === 0 && /successfully rolled out/.test(facts.stdout)
        : facts.exitCode === 0;
    if (done)
      return {
        change: 'none',
        reason:
          args.for === 'rollout'
            ? facts.stdout.trim()
            : `${describeSelection(args)} ${args.name ? 'meets' : 'all meet'} ${args.for}`,
        actions: [],
      };
    return {
      change: 'run',
      reason: `not yet: ${(facts.stderr || facts.stdout).trim().split('\n')[0]}`,
      actions: [],
      poll,
    };
  },
});
