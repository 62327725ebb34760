import { Type } from '@sinclair/typebox';
import { connectionArgs, connectionFromVars, kubectlConnection } from './kube-connection.js';

/** What every kubectl step shares: its arguments for the program and the cluster, their inventory defaults, and the argv prefix. */
export const kubectlHead = {
  args: {
    binary: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'The kubectl program.',
      }),
    ),
    ...connectionArgs,
  },
  fromVars: { binary: 'kubectl_binary', ...connectionFromVars },
  varDefaults: { kubectl_binary: 'kubectl' },
  argv: (args: { binary?: string; kubeconfig?: string; context?: string }): string[] => [
    args.binary ?? 'kubectl',
    ...kubectlConnection(args),
  ],
  /** For a step of another tool that also reads the cluster with kubectl (helm.release after a failed wait, the orphaned-volume listing). */
  second: {
    args: {
      kubectl_binary: Type.Optional(
        Type.String({
          minLength: 1,
          description: 'The kubectl program this step also runs to read the cluster.',
        }),
      ),
    },
    fromVars: { kubectl_binary: 'kubectl_binary' },
    varDefaults: { kubectl_binary: 'kubectl' },
    argv: (args: { kubectl_binary?: string; kubeconfig?: string; context?: string }): string[] => [
      args.kubectl_binary ?? 'kubectl',
      ...kubectlConnection(args),
    ],
  },
} as const;
