import { valueAt } from '../input/value-at.js';
import { patternMeanings } from '../input/kube-names.js';
import type { ErrorObject } from 'ajv';
import type { InputProblem } from '../input/input-error.js';
import type { SourceLocation } from '../input/source-location.js';
import type { PathSegment } from '../input/yaml-source.js';
import { templateMarker } from './allow-templates.js';
import { didYouMeanHint } from '../input/did-you-mean.js';

export type Locate = (path: readonly PathSegment[], target?: 'value' | 'key') => SourceLocation;

export interface FormatContext {
  locate: Locate;
  /** Names the plugins, for messages about a step's plugin key. */
  pluginNames: readonly string[];
  /** The document's JSON value, to describe what was found. */
  value: unknown;
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  // Never a part of a long string: a cut-off secret would not be recognised, and so not masked.
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function pathLabel(path: readonly PathSegment[]): string {
  return (
    path
      .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`))
      .join('')
      .replace(/^\./, '') || '(top level)'
  );
}

function typeName(type: unknown): string {
  const names: Record<string, string> = {
    object: 'a map',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
  };
  const list = Array.isArray(type) ? type : [type];
  return list.map((item) => names[String(item)] ?? String(item)).join(' or ');
}

function isTemplateBranch(error: ErrorObject): boolean {
  return Boolean((error.parentSchema as Record<string, unknown> | undefined)?.[templateMarker]);
}

function expectedOfAnyOf(error: ErrorObject): string {
  const branches = (error.schema as Record<string, unknown>[]) ?? [];
  const parts = branches.flatMap(function describeBranch(branch): string[] {
    if (Array.isArray(branch['anyOf'])) return (branch['anyOf'] as Record<string, unknown>[]).flatMap(describeBranch);
    if (branch[templateMarker]) return ['a {{ template }}'];
    if (branch['enum'])
      return [`one of ${(branch['enum'] as unknown[]).map((item) => JSON.stringify(item)).join(', ')}`];
    if (branch['const'] !== undefined) return [JSON.stringify(branch['const'])];
    return [typeName(branch['type'])];
  });
  return [...new Set(parts)].join(' or ');
}

function stepOneOfProblem(context: FormatContext, path: PathSegment[]): InputProblem {
  const step = valueAt(context.value, path) as Record<string, unknown> | undefined;
  const present = Object.keys(step ?? {}).filter((key) => context.pluginNames.includes(key));
  if (present.length > 1) {
    return {
      location: context.locate([...path, present[1]!], 'key'),
      message: `step has more than one plugin key (${present.join(', ')}); a step runs exactly one plugin`,
    };
  }
  return {
    location: context.locate(path),
    message: `step has no plugin key; expected one of: ${context.pluginNames.join(', ')}`,
  };
}

function problemFor(error: ErrorObject, context: FormatContext): InputProblem | undefined {
  const path = pointerToPath(error.instancePath);
  const where = pathLabel(path);
  const found = valueAt(context.value, path);
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params['additionalProperty']);
      const known = Object.keys((parent['properties'] as object | undefined) ?? {});
      if (known.length === 0 && parent['patternProperties']) {
        return {
          location: context.locate([...path, key], 'key'),
          message: `'${key}' is not a valid name in ${where}: use letters, digits and _`,
        };
      }
      return {
        location: context.locate([...path, key], 'key'),
        message: `unknown key '${key}' in ${where}; expected one of: ${known.join(', ')}`,
        hint: didYouMeanHint(key, known),
      };
    }
    case 'required':
      return {
        location: context.locate(path),
        message: `${where} is missing the required key '${String(error.params['missingProperty'])}'`,
      };
    case 'type':
      return {
        location: context.locate(path),
        message: `${where}: expected ${typeName(error.params['type'])}, found ${describe(found)}`,
      };
    case 'enum': {
      const allowed = (error.params['allowedValues'] as unknown[]).map(String);
      return {
        location: context.locate(path),
        message: `${where}: expected one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}, found ${describe(found)}`,
        hint: typeof found === 'string' ? didYouMeanHint(found, allowed) : undefined,
      };
    }
    case 'anyOf':
      return {
        location: context.locate(path),
        message: `${where}: expected ${expectedOfAnyOf(error)}, found ${describe(found)}`,
      };
    case 'oneOf':
      if (
        parent['oneOf'] &&
        (parent['oneOf'] as Record<string, unknown>[]).every((branch) => Array.isArray(branch['required']))
      ) {
        return stepOneOfProblem(context, path);
      }
      return { location: context.locate(path), message: `${where}: ${error.message ?? 'invalid'}` };
    case 'minItems':
      return {
        location: context.locate(path),
        message: `${where}: expected at least ${String(error.params['limit'])} item(s)`,
      };
    case 'minLength':
      return { location: context.locate(path), message: `${where}: must not be empty` };
    case 'pattern':
      return {
        location: context.locate(path),
        message: `${where}: expected ${patternMeanings[String(error.params['pattern'])] ?? `text matching ${String(error.params['pattern'])}`}, found ${describe(found)}`,
      };
    default:
      return { location: context.locate(path), message: `${where}: ${error.message ?? 'invalid'}` };
  }
}

/** For a union of maps told apart by a key (`set:`, `delete:`...), each branch's distinguishing key. */
function discriminators(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches) || branches.length < 2) return undefined;
  const required = branches.map(
    (branch) => ((branch as Record<string, unknown>)['required'] as string[] | undefined) ?? [],
  );
  const keys = required.map((own, index) =>
    own.find((key) => required.every((other, j) => j === index || !other.includes(key))),
  );
  return keys.every((key): key is string => key !== undefined) ? keys : undefined;
}

/** Keeps only the errors of the branch the user chose in a keyed union, or one message when none was chosen. */
function narrowKeyedUnions(
  errors: readonly ErrorObject[],
  context: FormatContext,
): { errors: ErrorObject[]; problems: InputProblem[] } {
  let kept = [...errors];
  const problems: InputProblem[] = [];
  for (const union of errors) {
    if (union.keyword !== 'anyOf') continue;
    const keys = discriminators(union.schema);
    if (!keys) continue;
    const path = pointerToPath(union.instancePath);
    const data = valueAt(context.value, path);
    const chosen = data && typeof data === 'object' && !Array.isArray(data) ? keys.findIndex((key) => key in data) : -1;
    const under = (error: ErrorObject) =>
      error.instancePath === union.instancePath || error.instancePath.startsWith(`${union.instancePath}/`);
    const inBranch = (error: ErrorObject) => under(error) && error.schemaPath.startsWith(`${union.schemaPath}/`);
    kept = kept.filter(
      (error) =>
        error !== union &&
        (!inBranch(error) || (chosen >= 0 && error.schemaPath.startsWith(`${union.schemaPath}/${chosen}/`))),
    );
    if (chosen < 0) {
      const written = data && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : [];
      const hint = written.map((key) => didYouMeanHint(key, keys)).find(Boolean);
      problems.push({
        location: context.locate(path),
        message: `${pathLabel(path)}: expected a map with one of the keys ${keys.join(', ')}, found ${describe(data)}`,
        ...(hint ? { hint } : {}),
      });
    }
  }
  return { errors: kept, problems };
}

/** The list item an error is inside (`/steps/12`), when every error is inside one: their unions never reach across items. */
function itemOf(error: ErrorObject): string | undefined {
  const parts = error.instancePath.split('/');
  return parts.length >= 3 ? parts.slice(0, 3).join('/') : undefined;
}

/** Turns ajv's errors into one located message per real problem, most specific first. */
export function formatSchemaErrors(allErrors: readonly ErrorObject[], context: FormatContext): InputProblem[] {
  // Errors of different steps are independent; read item by item, a playbook with thousands of bad steps costs thousands, not millions.
  if (allErrors.length > 50 && allErrors.every((error) => itemOf(error) !== undefined)) {
    const items = new Map<string, ErrorObject[]>();
    for (const error of allErrors) items.set(itemOf(error)!, [...(items.get(itemOf(error)!) ?? []), error]);
    if (items.size > 1) {
      return [...items.values()]
        .flatMap((errors) => formatItemErrors(errors, context))
        .sort(
          (a, b) =>
            (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.col ?? 0) - (b.location?.col ?? 0),
        );
    }
  }
  return formatItemErrors(allErrors, context);
}

function formatItemErrors(allErrors: readonly ErrorObject[], context: FormatContext): InputProblem[] {
  const narrowed = narrowKeyedUnions(allErrors, context);
  const errors = narrowed.errors;
  const outermostAnyOf = new Map<string, string>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf') continue;
    const known = outermostAnyOf.get(error.instancePath);
    if (known === undefined || error.schemaPath.length < known.length)
      outermostAnyOf.set(error.instancePath, error.schemaPath);
  }
  const typeLike = (error: ErrorObject) =>
    error.keyword === 'type' || error.keyword === 'enum' || error.keyword === 'const';
  const specific = allErrors.filter(
    (error) => !isTemplateBranch(error) && error.keyword !== 'anyOf' && error.keyword !== 'oneOf',
  );
  const kept = errors.filter((error) => {
    if (isTemplateBranch(error)) return false;
    // A step's "exactly one plugin" rule is reported once, by its oneOf, not by each branch.
    if (error.keyword === 'required' && /\/oneOf\/\d+\/required$/.test(error.schemaPath)) return false;
    if (error.keyword === 'anyOf') {
      if (outermostAnyOf.get(error.instancePath) !== error.schemaPath) return false;
      // The anyOf speaks only when its branches failed on type alone; otherwise the deeper errors say more.
      return !specific.some(
        (other) =>
          other.instancePath.startsWith(`${error.instancePath}/`) ||
          (other.instancePath === error.instancePath && !typeLike(other)),
      );
    }
    if (error.keyword === 'oneOf') return true;
    return !(typeLike(error) && outermostAnyOf.has(error.instancePath));
  });
  const seen = new Set<string>();
  const problems: InputProblem[] = [...narrowed.problems];
  for (const error of kept) {
    const problem = problemFor(error, context);
    if (!problem) continue;
    const key = `${problem.location?.line}:${problem.location?.col}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  const oneOfPaths = new Set(kept.filter((error) => error.keyword === 'oneOf').map((error) => error.instancePath));
  const unknownKeyInStep = kept.some(
    (error) => error.keyword === 'additionalProperties' && oneOfPaths.has(error.instancePath),
  );
  return problems
    .filter((problem) => !(unknownKeyInStep && problem.message.startsWith('step has no plugin key')))
    .sort(
      (a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.col ?? 0) - (b.location?.col ?? 0),
    );
}
