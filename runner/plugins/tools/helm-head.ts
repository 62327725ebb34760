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
} as const;
