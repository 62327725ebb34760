import { Type, type Static } from '@sinclair/typebox';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import type { EditTarget } from './edit-target.js';
import { compilePredicate, Condition, Predicate, valuePathArg } from './predicate.js';
import { yamlTarget } from './yaml-target.js';
import { parseValuePath } from './value-path.js';
import type { PathSegment } from '../../input/yaml-source.js';
import type { ParsedStream } from './yaml-stream.js';

const where = Type.Optional(
  Type.Ref(Predicate, { description: 'Apply only to objects for which this predicate holds.' }),
);

export const Operation = Type.Union([
  Type.Object(
    { set: valuePathArg, value: Type.Unknown({ description: 'The value to set; maps and lists are allowed.' }), where },
    { additionalProperties: false },
  ),
  Type.Object({ delete: valuePathArg, where }, { additionalProperties: false }),
  Type.Object(
    { keep: Type.Ref(Predicate) },
    { additionalProperties: false, description: 'Keep only the objects for which the predicate holds.' },
  ),
  Type.Object(
    { drop: Type.Ref(Predicate) },
    { additionalProperties: false, description: 'Remove the objects for which the predicate holds.' },
  ),
]);

/** Schemas the operations refer to by `$id`, so validators compile them once. */
export const sharedSchemas = [Condition, Predicate];

export type OperationSpec = Static<typeof Operation>;

type CompiledOperation = <T extends EditTarget>(targets: T[]) => { targets: T[]; changed: number };

function compileOperation(spec: OperationSpec): CompiledOperation {
  if ('keep' in spec || 'drop' in spec) {
    const keep = 'keep' in spec;
    const test = compilePredicate(keep ? spec.keep : (spec as { drop: Static<typeof Predicate> }).drop);
    return (targets) => {
      const kept = targets.filter((target) => test(target.read) === keep);
      return { targets: kept, changed: targets.length - kept.length };
    };
  }
  const applies = spec.where ? compilePredicate(spec.where) : () => true;
  if ('set' in spec) {
    const path = parseValuePath(spec.set);
    return (targets) => {
      let changed = 0;
      for (const target of targets) {
        if (!applies(target.read)) continue;
        const current = target.read(path);
        if (current.present && isDeepStrictEqual(current.value, spec.value)) continue;
        if (!target.set(path, spec.value))
          throw new Error(`cannot set ${path.join('.')}: a value on the way is a scalar, or a list addressed by name`);
        changed += 1;
      }
      return { targets, changed };
    };
  }
  const path = parseValuePath(spec.delete);
  return (targets) => {
    let changed = 0;
    for (const target of targets) {
      if (applies(target.read) && target.remove(path)) changed += 1;
    }
    return { targets, changed };
  };
}

export interface EditOutcome {
  documents: ParsedStream;
  changed: number;
  objects: number;
}

export type CompiledOperations = CompiledOperation[];

export function compileOperations(operations: OperationSpec[]): CompiledOperations {
  return operations.map(compileOperation);
}

/** Runs the operations in order over these objects; returns the ones kept and how many edits were made. */
export function editObjects<T extends EditTarget>(
  compiled: CompiledOperations,
  objects: T[],
): { kept: T[]; changed: number } {
  let targets = objects;
  let changed = 0;
  for (const operation of compiled) {
    const result = operation(targets);
    targets = result.targets;
    changed += result.changed;
  }
  return { kept: targets, changed };
}

/** Operations address keys of a map: a document that is a list or a value has none, and saying "already as requested" would be a lie. */
export function notAMap(kind: string, documentNumber?: number): string {
  return `${documentNumber ? `document ${documentNumber}` : 'the document'} is ${kind}, not a map: the operations edit keys of maps (use each: to edit the items of a list)`;
}

function listAt(document: Document, each: PathSegment[]): YAMLSeq | undefined {
  const node = document.getIn(each, true);
  return isSeq(node) ? node : undefined;
}

/**
 * Applies operations in order to each object: every document, or every item of the list at `each`
 * (`items` for what `kubectl get -o yaml` prints). Edits the parsed documents in place.
 */
export function applyOperations(
  documents: ParsedStream,
  operations: OperationSpec[],
  each?: string | (string | number)[],
): EditOutcome {
  const compiled = compileOperations(operations);
  let changed = 0;
  let objects = 0;
  if (each !== undefined) {
    const eachPath = parseValuePath(each);
    if (!documents.some((document) => listAt(document, eachPath)))
      throw new Error(`no document has a list at ${eachPath.join('.')} to edit the items of`);
    for (const document of documents) {
      const list = listAt(document, eachPath);
      if (!list) continue;
      const result = editObjects(
        compiled,
        list.items.filter(isMap).map((node) => yamlTarget(node, document)),
      );
      changed += result.changed;
      const keptNodes = new Set(result.kept.map((target) => target.node));
      list.items = list.items.filter((item) => !isMap(item) || keptNodes.has(item));
      objects += result.kept.length;
    }
    return { documents, changed, objects };
  }
  const notMap = documents.findIndex((document) => document.contents !== null && !isMap(document.contents));
  if (notMap >= 0)
    throw new Error(
      notAMap(
        isSeq(documents[notMap]!.contents) ? 'a list' : 'a single value',
        documents.length > 1 ? notMap + 1 : undefined,
      ),
    );
  const mapDocuments = documents.filter((document) => isMap(document.contents));
  const owner = new Map(mapDocuments.map((document) => [document.contents as YAMLMap, document]));
  const result = editObjects(
    compiled,
    mapDocuments.map((document) => yamlTarget(document.contents as YAMLMap, document)),
  );
  const keptDocuments = new Set(result.kept.map((target) => owner.get(target.node)));
  return {
    documents: documents.filter((document) => !isMap(document.contents) || keptDocuments.has(document)),
    changed: result.changed,
    objects: result.kept.length,
  };
}
