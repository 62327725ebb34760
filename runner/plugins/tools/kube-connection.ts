import { Type } from '@sinclair/typebox';

/** How every kubectl and helm step reaches the cluster; omitted arguments come from the inventory. */
export const connectionArgs = {
  kubeconfig: Type.Optional(
    Type.String({
      minLength: 1,
      description: "Kubeconfig file; without one, kubectl's and helm's own default.",
    }),
  ),
  context: Type.Optional(Type.String({ minLength: 1, description: 'Kubeconfig context.' })),
};

export const connectionFromVars = { kubeconfig: 'kubeconfig', context: 'kube_context' } as const;

export function kubectlConnection(args: { kubeconfig?: string; context?: string }): string[] {
  return [
    ...(args.kubeconfig ? ['--kubeconfig', args.kubeconfig] : []),
    ...(args.context ? ['--context', args.context] : []),
  ];
}

export function helmConnection(args: { kubeconfig?: string; context?: string }): string[] {
  return [
    ...(args.kubeconfig ? ['--kubeconfig', args.kubeconfig] : []),
    ...(args.context ? ['--kube-context', args.context] : []),
  ];
}
