import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { evaluateCondition } from '../template/render.js';
import { TemplateError } from '../template/template-error.js';

/** What an omitted argument is: the schema's defaults, which the validator fills in, and the plan's fallbacks. */
const defaults = { timeout: 300, interval: 5 } as const;

const schema = Type.Object(
  {
    argv: Type.Array(Type.Union([Type.String(), Type.Number()]), {
      minItems: 1,
      description: 'A read-only command to observe with (it also runs under --check); never run through a shell.',
    }),
    condition: Type.String({
      minLength: 1,
      description:
        'An expression over `result` (rc, stdout, stderr, stdout_lines, json when stdout is JSON) that must become true.',
    }),
    timeout: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, default: defaults.timeout, description: 'Seconds to wait at most.' }),
    ),
    interval: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, default: defaults.interval, description: 'Seconds between observations.' }),
    ),
    description: Type.Optional(Type.String({ description: 'What is awaited, in words, for the output.' })),
  },
  { additionalProperties: false },
);

interface Observation {
  rc: number;
  stdout: string;
  stderr: string;
  stdout_lines: string[];
  json?: unknown;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Observes until a condition holds; waiting changes nothing, so a condition that holds is simply ok. */
export const waitUntilPlugin = definePlugin({
  name: 'wait.until',
  summary: 'Run a read-only command every interval until a condition over its result holds, or fail at the timeout.',
  schema,
  registers: {
    observed: 'what the last observation saw: rc, stdout, stderr, stdout_lines, json',
  },
  async probe(args, io): Promise<Observation> {
    const result = await io.run(args.argv.map(String));
    const json = parseJson(result.stdout);
    return {
      rc: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      stdout_lines: result.stdout === '' ? [] : result.stdout.split('\n'),
      ...(json !== undefined ? { json } : {}),
    };
  },
  plan(args, facts): StepPlan {
    const waitingFor = args.description ?? args.condition;
    const poll = {
      waitingFor,
      intervalSeconds: args.interval ?? defaults.interval,
      timeoutSeconds: args.timeout ?? defaults.timeout,
    };
    if (!facts)
      return { change: 'run', reason: `observe ${args.argv.join(' ')} until ${args.condition}`, actions: [], poll };
    let holds: boolean;
    try {
      holds = evaluateCondition(args.condition, { result: facts }, false);
    } catch (error) {
      if (error instanceof TemplateError)
        throw new PlanError(`condition ${JSON.stringify(args.condition)}: ${error.message}`);
      throw error;
    }
    if (holds) return { change: 'none', reason: `${waitingFor}: holds`, actions: [], data: { observed: facts } };
    const detail =
      facts.rc === 0
        ? 'not yet'
        : `not yet (${args.argv[0]} exited ${facts.rc}${facts.stderr ? `: ${facts.stderr.split('\n')[0]}` : ''})`;
    return { change: 'run', reason: detail, actions: [], poll, data: { observed: facts } };
  },
});
