import { isDeepStrictEqual } from 'node:util';
import { Type } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { objectArgs } from './kube/object-args.js';
import { patchMakesDeletable, patchMayMakeDeletable } from './kube/deletable-after-patch.js';
import { clusterOf } from './kube/cluster-of.js';

/** What an omitted argument is: the schema's default, which the validator fills in, and the plan's fallback. */
const defaults = { type: 'merge' } as const;

const schema = Type.Object(
  {
    kind: objectArgs.kind,
    name: Type.String({ minLength: 1, description: 'The object to patch.' }),
    namespace: objectArgs.namespace,
    type: Type.Optional(
      Type.Union([Type.Literal('merge'), Type.Literal('strategic'), Type.Literal('json')], {
        default: defaults.type,
        description: 'Patch type.',
      }),
    ),
    patch: Type.Union(
      [Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.Record(Type.String(), Type.Unknown()))],
      {
        description: 'The patch: a map for merge/strategic, a list of operations for json.',
      },
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

interface PatchFacts {
  current: Record<string, any>;
  patched: Record<string, any>;
}

/** Fields the server changes on every write; equal objects differ only in these. */
function comparable(object: Record<string, any>): Record<string, any> {
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...metadata } = object['metadata'] ?? {};
  return { ...object, metadata };
}

/** `kubectl patch`, ok when a server-side dry run of the same patch changes nothing. */
export const kubectlPatchPlugin = definePlugin({
  name: 'kubectl.patch',
  summary: 'Patch an object; ok when the server says the patch would change nothing (checked with --dry-run=server).',
  schema,
  destroys: 'when the patch lets a volume be deleted with its claim (a reclaim policy of Delete)',
  heads: [kubectlHead],
  effects: (args) => {
    const destroys = patchMayMakeDeletable(args);
    return destroys ? { destroys } : {};
  },
  async probe(args, io): Promise<PatchFacts> {
    const kubectl = kubectlHead.argv(args);
    const target = [args.kind, args.name, ...(args.namespace ? ['--namespace', args.namespace] : [])];
    const current = await kubectlJson(io, [...kubectl, 'get', ...target, '--output', 'json']);
    const patched = await kubectlJson(io, [
      ...kubectl,
      'patch',
      ...target,
      '--type',
      args.type ?? defaults.type,
      '--patch',
      JSON.stringify(args.patch),
      '--dry-run=server',
      '--output',
      'json',
    ]);
    return { current, patched };
  },
  plan(args, facts): StepPlan {
    const argv = [
      ...kubectlHead.argv(args),
      'patch',
      args.kind,
      args.name,
      ...(args.namespace ? ['--namespace', args.namespace] : []),
      '--type',
      args.type ?? defaults.type,
      '--patch',
      JSON.stringify(args.patch),
    ];
    const what = `${args.kind}/${args.name}`;
    if (!facts) {
      const destroys = patchMayMakeDeletable(args);
      return {
        change: 'update',
        reason: `patch ${what}`,
        actions: [{ kind: 'exec', argv }],
        ...(destroys ? { destroys } : {}),
      };
    }
    if (!facts.current || !facts.patched) throw new PlanError(`${what} not found`);
    if (isDeepStrictEqual(comparable(facts.current), comparable(facts.patched)))
      return { change: 'none', reason: `${what} already as patched`, actions: [] };
    // A patch that lets a volume's data be deleted is a destruction: it wants a backup and a yes.
    const destroys = patchMakesDeletable(facts.current, facts.patched);
    return {
      change: 'update',
      reason: `patch ${what}`,
      actions: [{ kind: 'exec', argv }],
      ...(destroys ? { destroys: { ...destroys, cluster: clusterOf(args) } } : {}),
      diffs: [
        { path: what, before: stringify(comparable(facts.current)), after: stringify(comparable(facts.patched)) },
      ],
    };
  },
});
