import type { Destruction } from '../../plugin-contract/contract.js';

/** How a kubectl step reaches the cluster, for the guard that compares a backup with it. */
export const clusterOf = (args: {
  binary?: string;
  kubeconfig?: string;
  context?: string;
}): Destruction['cluster'] => ({
  ...(args.binary ? { kubectl: args.binary } : {}),
  ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
  ...(args.context ? { context: args.context } : {}),
});
