import { Type } from '@sinclair/typebox';
import { definePlugin } from '../plugin-contract/contract.js';

const schema = Type.Object(
  {
    argv: Type.Array(Type.Union([Type.String(), Type.Number()]), {
      minItems: 1,
      description: 'The program and its arguments, one list element each; never run through a shell.',
    }),
    creates: Type.Optional(
      Type.String({ minLength: 1, description: 'When this path exists the step is ok and nothing runs.' }),
    ),
    chdir: Type.Optional(Type.String({ minLength: 1, description: 'Working directory for the program.' })),
    env: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Extra environment variables.' })),
    stdin: Type.Optional(Type.String({ description: "Text written to the program's standard input." })),
  },
  { additionalProperties: false },
);

interface CommandFacts {
  createsExists: boolean;
}

/** The escape hatch: runs one program, idempotent only when `creates` names what it produces. */
export const commandPlugin = definePlugin({
  name: 'command',
  summary: 'Run a program from an argv list; with `creates`, only when that path is missing.',
  schema,
  async probe(args, io): Promise<CommandFacts> {
    return { createsExists: args.creates ? await io.exists(args.creates) : false };
  },
  plan(args, facts) {
    if (args.creates && facts?.createsExists) {
      return { change: 'none', reason: `${args.creates} exists`, actions: [] };
    }
    return {
      change: 'run',
      reason: args.creates ? `${args.creates} is missing` : 'a command always runs',
      actions: [
        {
          kind: 'exec',
          argv: args.argv.map(String),
          ...(args.chdir ? { cwd: args.chdir } : {}),
          ...(args.env ? { env: args.env } : {}),
          ...(args.stdin !== undefined ? { input: args.stdin } : {}),
        },
      ],
    };
  },
});
