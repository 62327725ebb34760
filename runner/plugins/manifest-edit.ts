import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { applyOperations, Operation, sharedSchemas, type OperationSpec } from './manifest/apply-ops.js';
import { editJson } from './manifest/edit-json.js';
import { editListItems, type ListEdit } from './manifest/edit-list-items.js';
import { valuePathArg } from './manifest/predicate.js';
import { detectIndentSeq, parseStream, serializeStream } from './manifest/yaml-stream.js';

const schema = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'The YAML file (one or more documents) or JSON file to read.' }),
    dest: Type.Optional(Type.String({ minLength: 1, description: 'Write the result here instead of back to `path`.' })),
    each: Type.Optional({
      ...valuePathArg,
      description:
        'Apply the operations to each item of this list in every document (`items` for `kubectl get -o yaml` or `-o json` output) instead of to whole documents.',
    }),
    ops: Type.Array(Operation, {
      minItems: 1,
      description:
        'Operations applied in order: `set: <path>` with `value:` and `delete: <path>` (each with an optional `where:` predicate), `keep: <predicate>`, `drop: <predicate>`.',
    }),
  },
  { additionalProperties: false },
);

interface ManifestFacts {
  source: string | undefined;
  destination: string | undefined;
  /** Permission bits the written file keeps: a 0600 secrets file stays 0600. */
  mode: number | undefined;
}

/** JSON is edited as data; a big `kubectl get -o yaml` list item by item; any other YAML is parsed whole. */
function editFile(source: string, ops: OperationSpec[], each: string | (string | number)[] | undefined): ListEdit {
  const asJson = editJson(source, ops, each);
  if (asJson) return asJson;
  const indentSeq = detectIndentSeq(source);
  const key = typeof each === 'string' ? each : each?.length === 1 && typeof each[0] === 'string' ? each[0] : undefined;
  const byItem = key === undefined ? undefined : editListItems(source, ops, key, indentSeq);
  if (byItem) return byItem;
  const outcome = applyOperations(parseStream(source), ops, each);
  const text = outcome.changed === 0 ? source : serializeStream(outcome.documents, indentSeq);
  return { text, changed: outcome.changed, objects: outcome.objects };
}

/** Edits YAML or JSON in place of a text editor: comments, key order and quoting survive; the diff is shown. */
export const manifestEditPlugin = definePlugin({
  name: 'manifest.edit',
  summary:
    'Edit a YAML or JSON file: set or delete paths, keep or drop documents or list items; comments, order and layout are preserved.',
  schema,
  registers: {
    objects: 'the documents or items, as edited',
    edits: 'how many operations changed something',
  },
  shared: sharedSchemas,
  async probe(args, io): Promise<ManifestFacts> {
    const source = await io.readFile(args.path);
    const separate = args.dest && args.dest !== args.path;
    const destination = separate ? await io.readFile(args.dest!) : source;
    const mode = (separate ? await io.fileMode(args.dest!) : undefined) ?? (await io.fileMode(args.path));
    return { source, destination, mode };
  },
  plan(args, facts): StepPlan {
    const dest = args.dest ?? args.path;
    if (!facts) throw new PlanError(`cannot read ${args.path}`);
    if (facts.source === undefined) throw new PlanError(`${args.path} does not exist`);
    let edit;
    try {
      edit = editFile(facts.source, args.ops, args.each);
    } catch (error) {
      throw new PlanError(`${args.path}: ${(error as Error).message}`);
    }
    const after = edit.changed === 0 ? facts.source : edit.text;
    if (after === facts.destination) {
      return { change: 'none', reason: `${dest} already as requested`, actions: [], data: { objects: edit.objects } };
    }
    return {
      change: facts.destination === undefined ? 'create' : 'update',
      reason: `${edit.changed} edit(s) to ${dest}`,
      actions: [
        { kind: 'write', path: dest, content: after, ...(facts.mode !== undefined ? { baseMode: facts.mode } : {}) },
      ],
      diffs: [{ path: dest, before: facts.destination, after }],
      data: { objects: edit.objects, edits: edit.changed },
    };
  },
});
