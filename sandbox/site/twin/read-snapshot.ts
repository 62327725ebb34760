import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../kube/object-store.js';

/** A site as `run snapshot` described it: what its twin is made from. */
export interface SiteSnapshot {
  dir: string;
  taken: string;
  siteName: string;
  namespace: string;
  release: string;
  version: { major: string; minor: string; gitVersion: string };
  nodes: KubeObject[];
  storageClasses: KubeObject[];
  pvs: KubeObject[];
  pvcs: KubeObject[];
  /** cert-manager's Issuers, ClusterIssuers and Certificates of the release's namespace. */
  certManagerObjects: KubeObject[];
  /** The release as `helm list` printed it, or null when the site had none. */
  helmRelease: { name: string; chart: string; app_version?: string; revision: string; status: string } | null;
  values: Record<string, unknown> | null;
  /** `openstack volume list --long` rows. */
  volumes: {
    ID: string;
    Name: string;
    Status: string;
    Size: number;
    'Attached to'?: unknown;
    Properties?: Record<string, string>;
  }[];
  floatingIps: { 'Floating IP Address': string; 'Fixed IP Address'?: string | null }[];
  quotas: Record<string, unknown>;
}

/** A snapshot folder the twin cannot be made from: a file missing, changed since, or not what `run snapshot` writes. */
export class SnapshotFolderError extends Error {
  constructor(dir: string, file: string, problem: string) {
    super(`sandbox.from_snapshot: ${join(dir, file)}: ${problem}`);
    this.name = 'SnapshotFolderError';
  }
}

const required = [
  'kubernetes/version.json',
  'kubernetes/nodes.json',
  'kubernetes/storageclasses.json',
  'kubernetes/pv.json',
  'kubernetes/pvc.json',
  'helm/release.json',
  'openstack/volumes.json',
  'openstack/floating-ips.json',
  'openstack/quotas.json',
];

/** Reads a snapshot folder, checking every file against the manifest's digest first: a twin made from a changed file would rehearse another site. */
export function readSnapshot(dir: string): SiteSnapshot {
  let manifest: Record<string, any>;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotFolderError(
      dir,
      'manifest.json',
      code === 'ENOENT'
        ? 'missing: this is not a folder `run snapshot` wrote'
        : `not JSON: ${(error as Error).message}`,
    );
  }
  if (manifest['format'] !== 'jhub-runner-snapshot/1')
    throw new SnapshotFolderError(
      dir,
      'manifest.json',
      `format ${JSON.stringify(manifest['format'])}, expected jhub-runner-snapshot/1`,
    );
  const files = (manifest['files'] ?? {}) as Record<string, string>;
  const absent = (manifest['absent'] ?? {}) as Record<string, string>;
  for (const file of required)
    if (!(file in files) && !(file in absent))
      throw new SnapshotFolderError(dir, file, 'not listed in manifest.json: the snapshot is partial; take it again');
  const parsed = new Map<string, unknown>();
  for (const [file, digest] of Object.entries(files)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, file));
    } catch {
      throw new SnapshotFolderError(dir, file, 'missing: the snapshot is partial; take it again');
    }
    if (createHash('sha256').update(bytes).digest('hex') !== digest)
      throw new SnapshotFolderError(
        dir,
        file,
        'changed since the snapshot was taken (its sha256 differs from manifest.json)',
      );
    try {
      parsed.set(file, JSON.parse(bytes.toString('utf8')));
    } catch (error) {
      throw new SnapshotFolderError(dir, file, `not JSON: ${(error as Error).message}`);
    }
  }
  const items = (file: string) =>
    ((parsed.get(file) as { items?: KubeObject[] } | undefined)?.items ?? []) as KubeObject[];
  const version = (parsed.get('kubernetes/version.json') as { serverVersion?: SiteSnapshot['version'] } | undefined)
    ?.serverVersion;
  if (!version?.minor) throw new SnapshotFolderError(dir, 'kubernetes/version.json', 'holds no serverVersion');
  const site = (manifest['site'] ?? {}) as Record<string, string>;
  return {
    dir,
    taken: String(manifest['taken'] ?? ''),
    siteName: site['name'] ?? 'site',
    namespace: site['namespace'] ?? 'jhub',
    release: site['release'] ?? 'jhub',
    version,
    nodes: items('kubernetes/nodes.json'),
    storageClasses: items('kubernetes/storageclasses.json'),
    pvs: items('kubernetes/pv.json'),
    pvcs: items('kubernetes/pvc.json'),
    certManagerObjects: ['issuers', 'clusterissuers', 'certificates'].flatMap((kind) =>
      items(`kubernetes/${kind}.json`),
    ),
    helmRelease: (parsed.get('helm/release.json') as SiteSnapshot['helmRelease']) ?? null,
    values: (parsed.get('helm/values.json') as Record<string, unknown> | undefined) ?? null,
    volumes: (parsed.get('openstack/volumes.json') as SiteSnapshot['volumes']) ?? [],
    floatingIps: (parsed.get('openstack/floating-ips.json') as SiteSnapshot['floatingIps']) ?? [],
    quotas: (parsed.get('openstack/quotas.json') as Record<string, unknown>) ?? {},
  };
}
