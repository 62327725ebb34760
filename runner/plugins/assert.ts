import { isAbsolute, resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';

const schema = Type.Object(
  {
    that: Type.Optional(
      Type.Array(
        Type.Object(
          {
            check: Type.Boolean({
              description:
                "A condition, usually one template expression such as \"{{ https.mode in ['letsencrypt', 'custom'] }}\".",
            }),
            message: Type.String({
              minLength: 1,
              description: 'What is wrong and how to fix it, shown when the check is false.',
            }),
          },
          { additionalProperties: false },
        ),
        { description: 'Conditions that must all hold.' },
      ),
    ),
    files: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Local files that must exist and be readable (certificates, keys, values files).',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Put first in a playbook, so that a site missing a setting or a file fails before anything changes, dry runs included. */
export const assertPlugin = definePlugin({
  name: 'assert',
  summary:
    'Fail before anything changes unless every condition holds and every named local file exists; never changes anything.',
  schema,
  async probe(args, io): Promise<string[]> {
    const missing: string[] = [];
    for (const file of args.files ?? []) if ((await io.readFile(file)) === undefined) missing.push(file);
    return missing;
  },
  plan(args, missingFiles): StepPlan {
    const problems = (args.that ?? []).filter((item) => !item.check).map((item) => item.message);
    for (const file of missingFiles ?? [])
      problems.push(
        `${file} does not exist or cannot be read${isAbsolute(file) ? '' : ` (looked for ${resolve(file)}, relative to the current folder)`}`,
      );
    if (problems.length) throw new PlanError(problems.join('; '));
    const counted = (args.that?.length ?? 0) + (args.files?.length ?? 0);
    return { change: 'none', reason: `all ${counted} check(s) hold`, actions: [] };
  },
});
