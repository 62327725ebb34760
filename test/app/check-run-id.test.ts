import { describe, expect, it } from 'vitest';
import { checkRunId } from '../../runner/app/check-run-id.js';
import { InputError } from '../../runner/input/input-error.js';

const vars = (value: unknown) => ({ values: { run_id: value }, origin: new Map([['run_id', 'extra vars (-e)']]) });

describe('checkRunId', () => {
  it('takes a plain name, as the runner makes them and as people write them', () => {
    for (const name of ['20261202T013943Z', 'first', 'rebuild.2', 'a_b-c'])
      expect(() => checkRunId(vars(name))).not.toThrow();
  });

  it('refuses anything that could leave the state folder or is not a name, naming who set it', () => {
    for (const name of ['../../x', 'a/b', '..', 'a..b', '.hidden', '', 'x\u0000y', 'a b', 42, ['x']]) {
      expect(() => checkRunId(vars(name)), JSON.stringify(name)).toThrow(InputError);
    }
    expect(() => checkRunId(vars('../x'))).toThrow(
      "run_id must be a plain name (letters, digits, '.', '_' and '-', starting with a letter or digit, no '..'), not \"../x\" (set by extra vars (-e))",
    );
  });
});
