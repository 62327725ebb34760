import type { SnapshotManifest } from './write-snapshot.js';

type Items = { items?: Record<string, any>[] } | undefined;
const items = (files: Map<string, unknown>, file: string) => (files.get(file) as Items)?.items ?? [];

/** A few lines saying what the snapshot holds, so the operator sees at once whether it is the site they meant. */
export function summarizeSnapshot(files: Map<string, unknown>, manifest: SnapshotManifest): string[] {
  const nodes = items(files, 'kubernetes/nodes.json');
  const pvs = items(files, 'kubernetes/pv.json');
  const claims = items(files, 'kubernetes/pvc.json');
  const classes = items(files, 'kubernetes/storageclasses.json');
  const phases = new Map<string, number>();
  for (const pv of pvs)
    phases.set(pv['status']?.phase ?? 'unknown', (phases.get(pv['status']?.phase ?? 'unknown') ?? 0) + 1);
  const release = files.get('helm/release.json') as Record<string, string> | null | undefined;
  const volumes = (files.get('openstack/volumes.json') as unknown[] | undefined) ?? [];
  const lines = [
    `kubernetes: ${manifest.tools['kubernetes'] ?? 'unknown version'}, ${nodes.length} node(s): ${nodes.map((node) => node['metadata']?.name).join(', ')}`,
    `storage classes: ${classes.map((each) => `${each['metadata']?.name}${each['metadata']?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? ' (default)' : ''}`).join(', ') || 'none'}`,
    `volumes: ${pvs.length} PV(s) (${[...phases].map(([phase, count]) => `${count} ${phase}`).join(', ') || 'none'}), ${claims.length} claim(s) in ${manifest.site.namespace}, ${volumes.length} Cinder volume(s)`,
    release
      ? `release: ${release['name']} ${release['chart']}, revision ${release['revision']}, ${release['status']}`
      : `release: none named ${manifest.site.release} in ${manifest.site.namespace}`,
  ];
  for (const [file, why] of Object.entries(manifest.absent)) lines.push(`${file}: not in the snapshot: ${why}`);
  return lines;
}
