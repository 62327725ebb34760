import { isUserClaim } from '../kube/namespace-volumes.js';

/** A Cinder volume as `openstack volume list --long -f json` prints it, with its creation time from `volume show`. */
export interface CinderVolume {
  id: string;
  name: string;
  status: string;
  sizeGi: number;
  /** Server IDs it is attached to. */
  attachedTo: string[];
  /** The claim the provisioner made it for (`namespace/name`), from the volume's properties. */
  createdFor?: string;
  createdAt?: string;
  /** Cinder's metadata, as the client prints it (Properties): where the runner marks what it made. */
  properties?: Record<string, string>;
}

/** The properties Cinder CSI (extra-create-metadata) and the in-tree provisioner record on a volume they make. */
function claimOf(properties: Record<string, unknown>): string | undefined {
  for (const prefix of ['csi.storage.k8s.io/pvc/', 'kubernetes.io/created-for/pvc/']) {
    const name = properties[`${prefix}name`];
    const namespace = properties[`${prefix}namespace`];
    if (typeof name === 'string' && typeof namespace === 'string') return `${namespace}/${name}`;
  }
  return undefined;
}

/** The rows of `volume list --long -f json`; columns the client renamed across releases are read under either name. */
export function parseVolumeList(rows: unknown): CinderVolume[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((row: Record<string, any>) => {
    const attachments: any[] = Array.isArray(row['Attached to']) ? row['Attached to'] : [];
    const properties =
      row['Properties'] && typeof row['Properties'] === 'object' ? (row['Properties'] as Record<string, unknown>) : {};
    const createdFor = claimOf(properties);
    return {
      id: String(row['ID']),
      name: String(row['Name'] ?? row['Display Name'] ?? ''),
      status: String(row['Status']),
      sizeGi: Number(row['Size']),
      attachedTo: attachments.map((attachment) => String(attachment?.server_id ?? attachment)).filter(Boolean),
      ...(createdFor ? { createdFor } : {}),
      ...(Object.keys(properties).length ? { properties: properties as Record<string, string> } : {}),
    };
  });
}

/** "2026-12-02" from Cinder's "2026-12-02T07:59:49.816000". */
export function createdDay(createdAt: string | undefined): string {
  return createdAt ? createdAt.slice(0, 10) : 'creation date unknown';
}

/** One line a person reads before deleting: id, name, size, creation date, and why it cannot go where it cannot. */
export function describeVolume(volume: CinderVolume): string {
  const attached = volume.attachedTo.length
    ? `, ${volume.status}, attached to server ${volume.attachedTo.join(', ')}`
    : volume.status === 'available'
      ? ''
      : `, ${volume.status}`;
  const madeFor = volume.createdFor ? `, made for claim ${volume.createdFor}` : '';
  return `${volume.id} ${volume.name || '(no name)'} (${volume.sizeGi} GiB, created ${createdDay(volume.createdAt)}${madeFor}${attached})`;
}

/** A volume made for a user's claim, which holds their home directory. */
export function isUserVolume(volume: CinderVolume): boolean {
  return volume.createdFor !== undefined && isUserClaim(volume.createdFor);
}
