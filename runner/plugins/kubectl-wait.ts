import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from './contract.js';
import type { ExecResult } from '../exec/exec-result.js';
import { connectionArgs, connectionFromVars, kubectlConnection } from './kube/connection.js';
import { describeSelection, objectArgs, objectSelection } from './kube/object-args.js';

const schema = Type.Object(
  {
    ...objectArgs,
    for: Type.String({ minLength: 1, description: 'What kubectl wait waits for: condition=Ready, condition=Available, delete, jsonpath={.status.phase}=Bound...' }),
    timeout: Type.Optional(Type.Number({ exclusiveMinimum: 0, default: 300, description: 'Seconds to wait at most (default 300).' })),
    interval: Type.Optional(Type.Number({ exclusiveMinimum: 0, default: 5, description: 'Seconds between checks (default 5).' })),
    binary: Type.Optional(Type.String({ minLength: 1, description: 'The kubectl program (default: the `kubectl_binary` variable, else kubectl).' })),
    ...connectionArgs,
  },
  { additionalProperties: false },
);

/** `kubectl wait --for=...`, checked once per interval (`--timeout=0s` checks without blocking) until it holds. */
export const kubectlWaitPlugin = definePlugin({
  name: 'kubectl.wait',
  summary: 'Wait until objects meet a condition (kubectl wait --for); ok at once when they already do.',
  schema,
  varDefaults: { kubectl_binary: 'kubectl' },
  argsFromVars: { binary: 'kubectl_binary', ...connectionFromVars },
  async probe(args, io): Promise<ExecResult> {
    return io.run([args.binary ?? 'kubectl', ...kubectlConnection(args), 'wait', ...objectSelection(args), `--for=${args.for}`, '--timeout=0s']);
  },
  plan(args, facts): StepPlan {
    const waitingFor = `${describeSelection(args)} to meet ${args.for}`;
    const poll = { waitingFor, intervalSeconds: args.interval ?? 5, timeoutSeconds: args.timeout ?? 300 };
    if (!facts) return { change: 'run', reason: `wait for ${waitingFor}`, actions: [], poll };
    if (facts.exitCode === 0) return { change: 'none', reason: `${describeSelection(args)} meets ${args.for}`, actions: [] };
    return { change: 'run', reason: `not yet: ${(facts.stderr || facts.stdout).trim().split('\n')[0]}`, actions: [], poll };
  },
});
