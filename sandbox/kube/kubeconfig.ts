import { stringify } from 'yaml';
import { writeStateFile } from '../support/state-file.js';

/** A kubeconfig whose one context points kubectl and helm at the simulated API server. */
export function kubeconfigFor(url: string, context = 'sandbox'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server: url } }],
    contexts: [{ name: context, context: { cluster: context, user: context, namespace: 'default' } }],
    'current-context': context,
    users: [{ name: context, user: { token: 'sandbox' } }],
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, url: string, context = 'sandbox'): Promise<void> {
  await writeStateFile(path, kubeconfigFor(url, context), 0o600);
}
