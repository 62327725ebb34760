import { Type } from '@sinclair/typebox';
import { kubectlHead } from './tools/kubectl-head.js';
import { clusterOf } from './kube/cluster-of.js';
import { definePlugin, type Destruction, type StepPlan } from '../plugin-contract/contract.js';
import { kindNotServed } from './kube/kind-not-served.js';
import { parseKubectlJson } from './kube/kubectl-json.js';
import { describeSelection, objectArgs, objectSelection } from './kube/object-args.js';
import { storageKindOf } from './kube/storage-kinds.js';

/** What an omitted argument is: the schema's defaults, which the validator fills in, and the plan's fallbacks. */
const defaults = { wait: true, timeout: '5m' } as const;

const schema = Type.Object(
  {
    ...objectArgs,
    wait: Type.Optional(Type.Boolean({ default: defaults.wait, description: 'Wait until the objects are gone.' })),
    if_kind_served: Type.Optional(
      Type.Boolean({
        description:
          "For a kind a CRD adds (cert-manager's Certificate): where the cluster does not serve that kind, there is nothing to delete (default false: an unknown kind fails the step).",
      }),
    ),
    timeout: Type.Optional(
      Type.String({ pattern: '^\\d+(s|m|h)$', default: defaults.timeout, description: 'How long to wait.' }),
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

/** An object the delete would remove, as the API server named it. */
interface Doomed {
  kind: string;
  name: string;
  namespace?: string;
  /** For a volume: the namespace of the claim it is bound to. */
  claimNamespace?: string;
}

/** The namespaces whose users' volumes a deletion can take: a namespace itself, a claim's, a volume's claim's. */
function namespacesAtStake(objects: Doomed[]): (string | undefined)[] {
  return objects.flatMap((object) => {
    if (object.kind === 'Namespace') return [object.name];
    if (object.kind === 'PersistentVolumeClaim') return [object.namespace];
    if (object.kind === 'PersistentVolume') return [object.claimNamespace];
    return [];
  });
}

function destruction(what: string, namespaces: (string | undefined)[]): Destruction {
  const named = [...new Set(namespaces.filter((namespace): namespace is string => namespace !== undefined))].sort();
  // A volume bound to no claim still holds someone's files: it needs a backup of the cluster's volumes.
  if (named.length === 0 || namespaces.includes(undefined)) return { what };
  return named.length === 1 ? { what, namespace: named[0]! } : { what, namespaces: named };
}

/** From the arguments alone, before the API is asked: the kind as kubectl resolves it. */
function destructionFromArgs(args: {
  kind: string;
  name?: string;
  namespace?: string;
  selector?: string;
}): Destruction | undefined {
  const kind = storageKindOf(args.kind);
  if (!kind) return undefined;
  const what = describeSelection(args);
  if (kind === 'Namespace') return args.name ? { what, namespace: args.name } : { what };
  if (kind === 'PersistentVolumeClaim') return { what, namespace: args.namespace ?? 'default' };
  return { what };
}

/** `kubectl delete`; ok when nothing matches. Whether it may destroy users' volumes is decided by the kinds the API server returns. */
export const kubectlDeletePlugin = definePlugin({
  name: 'kubectl.delete',
  summary: 'Delete objects; ok when none exist. Names what it deletes in the plan.',
  schema,
  destroys: 'when what it deletes is a namespace, claims or volumes',
  registers: {
    deleted: 'the objects it deletes',
  },
  heads: [kubectlHead],
  effects: (args) => {
    const destroys = destructionFromArgs(args);
    return destroys ? { destroys } : {};
  },
  async probe(args, io): Promise<Doomed[]> {
    const argv = [...kubectlHead.argv(args), 'get', ...objectSelection(args), '--ignore-not-found', '--output', 'json'];
    const result = await io.run(argv);
    if (args.if_kind_served && kindNotServed(result)) return [];
    const answer = parseKubectlJson(argv, result);
    const objects: Record<string, any>[] =
      answer === undefined ? [] : Array.isArray(answer.items) ? answer.items : [answer];
    return objects.map((object) => ({
      kind: String(object['kind']),
      name: String(object['metadata']?.name),
      ...(object['metadata']?.namespace ? { namespace: String(object['metadata'].namespace) } : {}),
      ...(object['spec']?.claimRef?.namespace ? { claimNamespace: String(object['spec'].claimRef.namespace) } : {}),
    }));
  },
  plan(args, facts): StepPlan {
    const what = describeSelection(args);
    if (facts && facts.length === 0) return { change: 'none', reason: `nothing to delete: ${what}`, actions: [] };
    const argv = [
      ...kubectlHead.argv(args),
      'delete',
      ...objectSelection(args),
      `--wait=${args.wait ?? defaults.wait}`,
      `--timeout=${args.timeout ?? defaults.timeout}`,
    ];
    const named = facts?.map((object) => `${object.kind}/${object.name}`);
    const reason = named ? `delete ${named.join(', ')}` : `delete ${what}`;
    const atStake = facts ? namespacesAtStake(facts) : undefined;
    const destroys = atStake
      ? atStake.length
        ? destruction(named!.join(', '), atStake)
        : undefined
      : destructionFromArgs(args);
    return {
      change: 'delete',
      reason,
      actions: [{ kind: 'exec', argv }],
      data: { deleted: named ?? [] },
      ...(destroys ? { destroys: { ...destroys, cluster: clusterOf(args) } } : {}),
    };
  },
});
