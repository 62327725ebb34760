import { Type, type Static } from '@sinclair/typebox';
import { isDeepStrictEqual } from 'node:util';
import { parseValuePath } from './value-path.js';
import type { PathSegment } from '../../input/yaml-source.js';

export const valuePathArg = Type.Union(
  [Type.String({ minLength: 1 }), Type.Array(Type.Union([Type.String(), Type.Integer()]), { minItems: 1 })],
  {
    description: 'A dotted path such as `spec.claimRef` or `metadata.annotations["a.b/c"]`, or a list of keys.',
  },
);

export const Condition = Type.Object(
  {
    path: valuePathArg,
    equals: Type.Optional(Type.Unknown({ description: 'The value at `path` equals this.' })),
    not_equals: Type.Optional(Type.Unknown({ description: 'The value at `path` differs from this.' })),
    in: Type.Optional(Type.Array(Type.Unknown(), { description: 'The value at `path` is one of these.' })),
    not_in: Type.Optional(Type.Array(Type.Unknown(), { description: 'The value at `path` is none of these.' })),
    matches: Type.Optional(
      Type.String({ description: 'The value at `path` is a string matching this regular expression.' }),
    ),
    exists: Type.Optional(Type.Boolean({ description: 'Whether `path` is present at all.' })),
  },
  { $id: 'manifest.Condition', additionalProperties: false },
);

export const Predicate = Type.Union([Type.Ref(Condition), Type.Array(Type.Ref(Condition), { minItems: 1 })], {
  $id: 'manifest.Predicate',
  description: 'A condition, or a list of conditions that must all hold.',
});

export type PredicateSpec = Static<typeof Predicate>;
export type ReadPath = (path: PathSegment[]) => { present: boolean; value: unknown };

interface CompiledCondition {
  path: PathSegment[];
  test: (present: boolean, value: unknown) => boolean;
}

function compileCondition(condition: Static<typeof Condition>): CompiledCondition {
  const tests: ((present: boolean, value: unknown) => boolean)[] = [];
  if ('equals' in condition) tests.push((present, value) => present && isDeepStrictEqual(value, condition.equals));
  if ('not_equals' in condition)
    tests.push((present, value) => !present || !isDeepStrictEqual(value, condition.not_equals));
  if (condition.in)
    tests.push((present, value) => present && condition.in!.some((item) => isDeepStrictEqual(item, value)));
  if (condition.not_in)
    tests.push((present, value) => !present || !condition.not_in!.some((item) => isDeepStrictEqual(item, value)));
  if (condition.matches !== undefined) {
    const pattern = new RegExp(condition.matches);
    tests.push((present, value) => present && typeof value === 'string' && pattern.test(value));
  }
  if (condition.exists !== undefined) tests.push((present) => present === condition.exists);
  if (tests.length === 0) tests.push((present) => present);
  return {
    path: parseValuePath(condition.path),
    test: (present, value) => tests.every((test) => test(present, value)),
  };
}

/** Compiles once so that filtering thousands of objects does no parsing per object. */
export function compilePredicate(spec: PredicateSpec): (read: ReadPath) => boolean {
  const conditions = (Array.isArray(spec) ? spec : [spec]).map(compileCondition);
  return (read) =>
    conditions.every((condition) => {
      const { present, value } = read(condition.path);
      return condition.test(present, value);
    });
}
