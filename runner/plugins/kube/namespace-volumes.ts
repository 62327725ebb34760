/** PersistentVolumes and claims as `kubectl get -o json` returns them; only the fields the volume steps read. */
export interface ClaimObject {
  metadata: { name: string; namespace?: string; uid?: string };
  spec?: { volumeName?: string };
  status?: { phase?: string };
}

export interface VolumeObject {
  metadata: { name: string };
  spec?: {
    capacity?: { storage?: string };
    persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string; uid?: string };
    csi?: { volumeHandle?: string };
    cinder?: { volumeID?: string };
  };
  status?: { phase?: string };
}

/** `kubectl get pv` is cluster-wide: these are the volumes whose claim lives in the namespace. */
export function volumesOfNamespace<V extends VolumeObject>(volumes: V[], namespace: string): V[] {
  return volumes.filter((volume) => volume.spec?.claimRef?.namespace === namespace);
}

/** The cloud volume behind a PV: Cinder's ID, whether the PV is CSI or in-tree. */
export function cloudVolumeId(volume: VolumeObject): string | undefined {
  return volume.spec?.csi?.volumeHandle ?? volume.spec?.cinder?.volumeID;
}

/** Bound claims whose volume is missing from `volumes` or records another claim: a backup without them would lose data. */
export function uncoveredClaims(claims: ClaimObject[], volumes: VolumeObject[]): string[] {
  const byName = new Map(volumes.map((volume) => [volume.metadata.name, volume]));
  return claims
    .filter((claim) => claim.status?.phase === 'Bound')
    .filter((claim) => {
      const volume = byName.get(claim.spec?.volumeName ?? '');
      const ref = volume?.spec?.claimRef;
      return (
        !volume ||
        ref?.name !== claim.metadata.name ||
        (ref.uid !== undefined && claim.metadata.uid !== undefined && ref.uid !== claim.metadata.uid)
      );
    })
    .map((claim) => `${claim.metadata.name} (volume ${claim.spec?.volumeName ?? 'none'})`);
}

/** JupyterHub names each user's claim claim-<user> (KubeSpawner's default): its volume holds someone's home directory. */
export function isUserClaim(claim: string | undefined): boolean {
  return /(^|\/)claim-/.test(claim ?? '');
}

/** At most `limit` names, then how many more: error messages stay readable with thousands of users. */
export function listSome(names: string[], limit = 10): string {
  return names.length > limit
    ? `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`
    : names.join(', ');
}
