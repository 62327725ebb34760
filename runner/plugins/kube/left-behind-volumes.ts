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
