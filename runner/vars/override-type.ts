import { InputError } from '../input/input-error.js';
import { coerced } from '../input/coerce-scalars.js';
import type { VarLayer } from './var-layer.js';

const kindOf = (value: unknown) =>
  typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'true or false' : undefined;

/** Whether an `-e` value can stand for the kind it replaces: `-e count=3` is text until it lands in a number; a template is decided when rendered. */
function fits(value: unknown, expected: string): boolean {
  if (kindOf(value) === expected || value === null) return true;
  if (typeof value !== 'string') return false;
  if (value.includes('{{')) return true;
  return coerced(value, expected === 'a number' ? 'number' : 'boolean') !== undefined;
}

/**
 * An `-e` value replacing a number or a boolean must be one too (`-e worker_count=abc` would
 * otherwise reach terraform, or a comparison, as text): refused up front, naming what it replaces.
 */
export function checkOverrideType(
  layer: VarLayer,
  key: string,
  replaced: unknown,
  value: unknown,
  replacedIn: VarLayer | undefined,
): void {
  const expected = kindOf(replaced);
  if (!expected || !layer.nested || fits(value, expected)) return;
  const where = layer.locate([key])?.file;
  const given = where && where !== '-e' && !where.startsWith('-e ') ? ` (in ${where})` : '';
  throw new InputError({
    message: `-e ${key}=${JSON.stringify(value)}${given}: expected ${expected}, as the ${JSON.stringify(replaced)} it replaces${replacedIn ? ` (set in ${replacedIn.label})` : ''}`,
  });
}
