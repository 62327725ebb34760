import { gunzipSync } from 'node:zlib';

/** What a deployed release's chart says of itself, as helm stored it: its name, version and the Kubernetes it accepts. */
export interface ReleaseChartMeta {
  chart: string;
  kubeVersion: string | undefined;
}

/**
 * The chart metadata in helm's release Secret (`sh.helm.release.v1.<release>.v<N>`: the release as
 * gzipped JSON, base64 inside the Secret's own base64); only the metadata is kept, never the values.
 */
export function releaseChartMeta(secret: { data?: { release?: string } } | undefined): ReleaseChartMeta | undefined {
  const stored = secret?.data?.release;
  if (!stored) return undefined;
  try {
    const inner = Buffer.from(Buffer.from(stored, 'base64').toString('utf8'), 'base64');
    const release = JSON.parse(gunzipSync(inner).toString('utf8')) as {
      chart?: { metadata?: { name?: string; version?: string; kubeVersion?: string } };
    };
    const meta = release.chart?.metadata;
    if (!meta?.name) return undefined;
    return { chart: `${meta.name}-${meta.version ?? ''}`, kubeVersion: meta.kubeVersion || undefined };
  } catch {
    return undefined;
  }
}
