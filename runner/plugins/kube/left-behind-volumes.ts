import { cloudVolumeId, isUserClaim, type VolumeObject } from './namespace-volumes.js';

/** A cloud volume the old cluster used that no PV of the new cluster uses: it stays in the cloud, costing quota, until someone removes it. */
export interface LeftBehind {
  cloudVolume: string;
  /** The PV that used it before, and that PV's claim. */
  pv: string;
  claim: string | undefined;
  capacity: string | undefined;
}

export function leftBehindVolumes(before: readonly VolumeObject[], live: readonly VolumeObject[]): LeftBehind[] {
  const inUse = new Set(live.map(cloudVolumeId).filter(Boolean));
  return before.flatMap((volume) => {
    const id = cloudVolumeId(volume);
    if (!id || inUse.has(id)) return [];
    const ref = volume.spec?.claimRef;
    return [
      {
        cloudVolume: id,
        pv: volume.metadata.name,
        claim: ref?.name ? `${ref.namespace}/${ref.name}` : undefined,
        capacity: volume.spec?.capacity?.storage,
      },
    ];
  });
}

/** Lines naming each left-behind volume, then how to remove those that hold no user's files. */
export function describeLeftBehind(volumes: readonly LeftBehind[]): string[] {
  if (volumes.length === 0) return [];
  const line = (volume: LeftBehind) =>
    `left without a PV: Cinder volume ${volume.cloudVolume}${volume.capacity ? ` (${volume.capacity})` : ''}, was ${volume.pv}${volume.claim ? ` of ${volume.claim}` : ''}`;
  const removable = volumes.filter((volume) => !isUserClaim(volume.claim));
  return [
    ...volumes.map((volume) =>
      isUserClaim(volume.claim)
        ? `${line(volume)}: a user's home volume, not restored by this run; give it back to them, do not delete it`
        : line(volume),
    ),
    ...(removable.length
      ? [
          `list and remove them with playbooks/remove-orphaned-volumes.yml (-e delete_volumes=${removable.map((volume) => volume.cloudVolume).join(',')} --yes)`,
        ]
      : []),
  ];
}

/** A volume that held a claim of the backup and is Released now: its claim is gone (the hub's old hub-db-dir after a reinstall). */
export interface ReleasedBehind {
  pv: string;
  cloudVolume: string | undefined;
  claim: string;
}

export function releasedVolumes(before: readonly VolumeObject[], live: readonly VolumeObject[]): ReleasedBehind[] {
  const now = new Map(live.map((volume) => [volume.metadata.name, volume]));
  return before.flatMap((volume) => {
    const current = now.get(volume.metadata.name);
    const ref = volume.spec?.claimRef;
    if (current?.status?.phase !== 'Released' || !ref?.name || isUserClaim(ref.name)) return [];
    return [{ pv: volume.metadata.name, cloudVolume: cloudVolumeId(volume), claim: `${ref.namespace}/${ref.name}` }];
  });
}

/** Lines naming each Released volume that holds no user's files, and the two commands that remove it. */
export function describeReleased(volumes: readonly ReleasedBehind[]): string[] {
  return volumes.map(
    (volume) =>
      `Released: PV ${volume.pv}${volume.cloudVolume ? ` (Cinder volume ${volume.cloudVolume})` : ''}, was ${volume.claim}, kept by Retain with the old data; once you are sure, kubectl delete pv ${volume.pv}, then playbooks/remove-orphaned-volumes.yml lists its Cinder volume`,
  );
}
