import { Type } from '@sinclair/typebox';

const Expression = Type.Union([Type.String({ minLength: 1 }), Type.Boolean()]);

/** Keys every step may carry besides its one plugin key. */
export const stepKeys = {
  name: Type.String({ minLength: 1, description: 'What the step does, shown in output; `--start-at` matches it.' }),
  when: Type.Optional({
    ...Expression,
    description: 'Run the step only when this expression is true; otherwise it is skipped.',
  }),
  register: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      description: 'Save the step result under this variable name for later steps.',
    }),
  ),
  tags: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      description: 'Labels for `--tags` / `--skip-tags`; the tag `always` runs unless skipped by name.',
    }),
  ),
  retries: Type.Optional(
    Type.Integer({ minimum: 0, description: 'With `until`: how many more attempts after the first.' }),
  ),
  delay: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds between attempts (default 5).' })),
  until: Type.Optional(
    Type.String({ minLength: 1, description: 'Retry until this expression over `result` is true.' }),
  ),
  changed_when: Type.Optional({
    ...Expression,
    description: 'Override whether the step counts as changed; `result` holds its outcome.',
  }),
  failed_when: Type.Optional({
    ...Expression,
    description: 'Override whether the step counts as failed; `result` holds its outcome.',
  }),
};

export const stepKeyNames = Object.keys(stepKeys);
