import { checkFields, type UnknownField } from './field-schema.js';
import { HttpError } from './http-error.js';
import type { KubeObject } from './object-store.js';

type Directive = 'Strict' | 'Warn' | 'Ignore';

const directives: Directive[] = ['Ignore', 'Strict', 'Warn'];

/** The request's `fieldValidation`: Warn when absent, as API servers since 1.27 default to. */
export function fieldValidationOf(url: URL): Directive {
  const given = url.searchParams.get('fieldValidation');
  if (given === null || given === '') return 'Warn';
  if ((directives as string[]).includes(given)) return given as Directive;
  throw new HttpError(
    400,
    'BadRequest',
    `fieldValidation: Unsupported value: ${JSON.stringify(given)}: supported values: ${directives.map((name) => JSON.stringify(name)).join(', ')}`,
  );
}

/** What the request's writer is told about undeclared fields under Warn: one Warning header each. */
export type Warnings = string[];

function gvk(object: KubeObject): string {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return `${group}/${version}, Kind=${object.kind}`;
}

/**
 * A body as the server decodes it into its Go types (create, update, merge and JSON patches): a value
 * of the wrong type is refused, undeclared fields are dropped, and Strict refuses them by name.
 */
export function decodeFields(object: KubeObject, directive: Directive, warnings: Warnings): KubeObject {
  const checked = checkFields(object);
  if (!checked) return object;
  const handled = `${object.kind} in version ${JSON.stringify(object.apiVersion.split('/').at(-1))} cannot be handled as a ${object.kind}`;
  if (checked.typeError) throw new HttpError(400, 'BadRequest', `${handled}: ${checked.typeError}`);
  if (checked.unknown.length === 0) return object;
  const named = checked.unknown.map((field) => `unknown field ${JSON.stringify(field.path)}`);
  if (directive === 'Strict')
    throw new HttpError(400, 'BadRequest', `${handled}: strict decoding error: ${named.join(', ')}`);
  if (directive === 'Warn') warnings.push(...named);
  return checked.pruned as KubeObject;
}

/** An apply patch as server-side apply types it: undeclared fields are its own error under Strict, worded as structured-merge-diff words it. */
export function applyFields(
  object: KubeObject,
  directive: Directive,
  warnings: Warnings,
  namespace: string | undefined,
): KubeObject {
  const checked = checkFields(object);
  if (!checked) return object;
  if (checked.typeError) throw new HttpError(400, 'BadRequest', checked.typeError);
  if (checked.unknown.length === 0) return object;
  if (directive === 'Strict') {
    const errors = checked.unknown.map((field: UnknownField) => `${field.applyPath}: field not declared in schema`);
    const listed = errors.length === 1 ? errors[0] : `errors:\n  ${errors.join('\n  ')}`;
    // The real server answers this with a Status that has no reason: kubectl prints "Error from server: ...".
    throw new HttpError(
      500,
      '',
      `failed to create typed patch object (${namespace ?? ''}/${object.metadata?.name ?? ''}; ${gvk(object)}): ${listed}`,
    );
  }
  if (directive === 'Warn')
    warnings.push(...checked.unknown.map((field) => `unknown field ${JSON.stringify(field.path)}`));
  return checked.pruned as KubeObject;
}
