import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from './contract.js';
import { connectionArgs, connectionFromVars, kubectlConnection } from './kube/connection.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { describeSelection, objectArgs, objectSelection } from './kube/object-args.js';

const schema = Type.Object(
  {
    ...objectArgs,
    wait: Type.Optional(Type.Boolean({ default: true, description: 'Wait until the objects are gone (default true).' })),
    timeout: Type.Optional(Type.String({ pattern: '^\\d+(s|m|h)$', default: '5m', description: 'How long to wait (default 5m).' })),
    binary: Type.Optional(Type.String({ minLength: 1, description: 'The kubectl program (default: the `kubectl_binary` variable, else kubectl).' })),
    ...connectionArgs,
  },
  { additionalProperties: false },
);

const storageKinds = /^(namespaces?|ns|persistentvolumeclaims?|pvc|persistentvolumes?|pv)$/i;

/** Deleting a namespace, a claim or a volume can take a user's Cinder volume with it. */
function destructionOf(args: { kind: string; name?: string; namespace?: string }, reason: string): Pick<StepPlan, 'destroys'> {
  if (!storageKinds.test(args.kind.split('.')[0]!)) return {};
  if (/^(namespaces?|ns)$/i.test(args.kind)) return { destroys: { what: reason.replace(/^delete /, ''), ...(args.name ? { namespace: args.name } : {}) } };
  if (/^(persistentvolumes?|pv)$/i.test(args.kind)) return { destroys: { what: reason.replace(/^delete /, '') } };
  return { destroys: { what: reason.replace(/^delete /, ''), ...(args.namespace ? { namespace: args.namespace } : {}) } };
}

/** `kubectl delete`; ok when nothing matches. */
export const kubectlDeletePlugin = definePlugin({
  name: 'kubectl.delete',
  summary: 'Delete objects; ok when none exist. Names what it deletes in the plan.',
  schema,
  varDefaults: { kubectl_binary: 'kubectl' },
  argsFromVars: { binary: 'kubectl_binary', ...connectionFromVars },
  async probe(args, io): Promise<string[]> {
    const answer = await kubectlJson(io, [args.binary ?? 'kubectl', ...kubectlConnection(args), 'get', ...objectSelection(args), '--ignore-not-found', '--output', 'json']);
    const objects: Record<string, any>[] = answer === undefined ? [] : Array.isArray(answer.items) ? answer.items : [answer];
    return objects.map((object) => `${object['kind']}/${object['metadata']?.name}`);
  },
  plan(args, facts): StepPlan {
    const what = describeSelection(args);
    if (facts && facts.length === 0) return { change: 'none', reason: `nothing to delete: ${what}`, actions: [] };
    const argv = [args.binary ?? 'kubectl', ...kubectlConnection(args), 'delete', ...objectSelection(args), `--wait=${args.wait !== false}`, `--timeout=${args.timeout ?? '5m'}`];
    const reason = facts ? `delete ${facts.join(', ')}` : `delete ${what}`;
    return { change: 'delete', reason, actions: [{ kind: 'exec', argv }], data: { deleted: facts ?? [] }, ...destructionOf(args, reason) };
  },
});
