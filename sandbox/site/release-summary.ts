import { gunzipSync } from 'node:zlib';
import type { KubeObject } from '../kube/object-store.js';

export interface ReleaseSummary {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
}

/** helm's release records: Secret `sh.helm.release.v1.<name>.v<revision>`, data.release = base64(gzip(JSON)). */
export function releasesFrom(secrets: KubeObject[]): ReleaseSummary[] {
  const latest = new Map<string, ReleaseSummary>();
  for (const secret of secrets) {
    const labels = secret.metadata.labels ?? {};
    if (labels.owner !== 'helm' || secret.type !== 'helm.sh/release.v1') continue;
    let chart = '?';
    try {
      const encoded = Buffer.from(String(secret.data?.release ?? ''), 'base64').toString('utf8');
      const release = JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')) as {
        chart?: { metadata?: { name?: string; version?: string } };
      };
      chart = `${release.chart?.metadata?.name}-${release.chart?.metadata?.version}`;
    } catch {
      chart = '?';
    }
    const summary = {
      name: labels.name,
      namespace: secret.metadata.namespace,
      revision: Number(labels.version),
      status: labels.status,
      chart,
    };
    const key = `${summary.namespace}/${summary.name}`;
    if ((latest.get(key)?.revision ?? 0) < summary.revision) latest.set(key, summary);
  }
  return [...latest.values()];
}
