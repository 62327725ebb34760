import { Type } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { describeSelection, objectArgs, objectSelection } from './kube/object-args.js';

const schema = Type.Object(
  {
    ...objectArgs,
    dest: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Also save what was read to this file as YAML (a kind: List, like `kubectl get -o yaml`).',
      }),
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

interface GetFacts {
  objects: Record<string, any>[];
  saved: string | undefined;
}

/** Reads objects for later steps (`register:` gives `objects` and `count`), and can save them to a file. */
export const kubectlGetPlugin = definePlugin({
  name: 'kubectl.get',
  summary: 'Read objects with kubectl get -o json, register them, and optionally save them as YAML.',
  schema,
  registers: {
    objects: 'the objects read',
    count: 'how many',
    object: 'the object, when one was named and found',
  },
  heads: [kubectlHead],
  async probe(args, io): Promise<GetFacts> {
    const argv = [
      ...kubectlHead.argv(args),
      'get',
      ...objectSelection(args),
      ...(args.name ? ['--ignore-not-found'] : []),
      '--output',
      'json',
    ];
    const answer = await kubectlJson(io, argv);
    const objects = answer === undefined ? [] : Array.isArray(answer.items) ? answer.items : [answer];
    return { objects, saved: args.dest ? await io.readFile(args.dest) : undefined };
  },
  plan(args, facts): StepPlan {
    const what = describeSelection(args);
    // Without facts (a dry run) nothing is known yet, and steps reading the result must say so.
    if (!facts)
      return { change: 'run', reason: `read ${what}${args.dest ? ` into ${args.dest}` : ''} at run time`, actions: [] };
    const data = {
      objects: facts.objects,
      count: facts.objects.length,
      ...(facts.objects.length === 1 && args.name ? { object: facts.objects[0] } : {}),
    };
    if (!args.dest)
      return { change: 'none', reason: `read ${facts.objects.length} object(s): ${what}`, actions: [], data };
    const content = stringify(
      { apiVersion: 'v1', items: facts.objects, kind: 'List', metadata: { resourceVersion: '' } },
      { version: '1.1', lineWidth: 0 },
    );
    if (content === facts.saved)
      return {
        change: 'none',
        reason: `${args.dest} already holds the ${facts.objects.length} object(s)`,
        actions: [],
        data,
      };
    return {
      change: facts.saved === undefined ? 'create' : 'update',
      reason: `save ${facts.objects.length} object(s) (${what}) to ${args.dest}`,
      actions: [{ kind: 'write', path: args.dest, content }],
      diffs: [{ path: args.dest, before: facts.saved, after: content }],
      data,
    };
  },
});
