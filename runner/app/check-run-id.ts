import { InputError } from '../input/input-error.js';
import type { ResolvedVars } from '../vars/resolve-vars.js';

const plainName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** run_id names this run's journal and backup folder: a path separator or `..` in it would write outside the site's state. */
export function checkRunId(vars: ResolvedVars): void {
  const value = vars.values['run_id'];
  if (typeof value === 'string' && plainName.test(value) && !value.includes('..')) return;
  const from = vars.origin.get('run_id');
  throw new InputError({
    message: `run_id must be a plain name (letters, digits, '.', '_' and '-', starting with a letter or digit, no '..'), not ${JSON.stringify(value)}${from ? ` (set by ${from})` : ''}`,
  });
}
