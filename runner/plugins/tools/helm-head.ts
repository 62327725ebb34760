import { Type } from '@sinclair/typebox';
import { connectionArgs, connectionFromVars, helmConnection } from './kube-connection.js';

/** What every helm step shares: its arguments for the program and the cluster, their inventory defaults, and the argv prefix. */
export const helmHead = {
  args: {
    binary: Type.Optional(Type.String({ minLength: 1, description: 'The helm program.' })),
    ...connectionArgs,
  },
  fromVars: { binary: 'helm_binary', ...connectionFromVars },
  varDefaults: { helm_binary: 'helm' },
  /** The program alone, for commands that do not reach the cluster (`helm repo`). */
  program: (args: { binary?: string }): string => args.binary ?? 'helm',
  argv: (args: { binary?: string; kubeconfig?: string; context?: string }): string[] => [
    args.binary ?? 'helm',
    ...helmConnection(args),
  ],
  /** `--wait` and `--timeout` of a step that changes a release (defaults: wait, 10m), saying what it waits for. */
  waitArgs: (waitsFor: string) => ({
    wait: Type.Optional(Type.Boolean({ default: true, description: `Wait until ${waitsFor}.` })),
    timeout: Type.Optional(
      Type.String({
        pattern: '^\\d+(s|m|h|m\\d+s)$',
        default: '10m',
        description: 'How long helm may wait, such as 10m.',
      }),
    ),
  }),
} as const;
