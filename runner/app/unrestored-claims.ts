import { existsSync } from 'node:fs';
import { maxDataFileBytes, readInputText } from '../input/read-input-file.js';
import { backupFile, kubeListItems } from '../plugins/kube/kube-list.js';
import { cloudVolumeId, listSome, type ClaimObject, type VolumeObject } from '../plugins/kube/namespace-volumes.js';
import { restoreFiles } from '../plugins/kube/restore-files.js';
import { claimListArgv, volumeListArgv } from '../plugins/kube/storage-lists.js';
import { liveList, type Run } from './live-list.js';
import type { PendingRestore } from './pending-restores.js';

/** How far a pending restore got on the cluster: the claims it was to bring back that are not back, or why that cannot be seen. */
export type RestoreProgress = { total: number; missing: string[]; from: string } | { unknown: string };

/** What the restore was to bring back: the restore files the run prepared, else the backup itself. */
function toBringBack(
  restore: PendingRestore,
): { claims: ClaimObject[]; volumes: VolumeObject[]; from: string } | string {
  const prepared = restoreFiles(restore.backupDir);
  const [claimsPath, volumesPath] = existsSync(prepared.claims)
    ? [prepared.claims, prepared.volumes]
    : [backupFile(restore.backupDir, 'pvc'), backupFile(restore.backupDir, 'pv')];
  try {
    const read = (path: string) =>
      kubeListItems(path, existsSync(path) ? readInputText(path, 'backup file', maxDataFileBytes) : undefined);
    const claims = (read(claimsPath) as ClaimObject[]).filter(
      (claim) => (claim.metadata?.namespace ?? restore.namespace) === restore.namespace,
    );
    return { claims, volumes: read(volumesPath) as VolumeObject[], from: claimsPath };
  } catch (error) {
    return (error as Error).message;
  }
}

/** Why the cluster's lists could not be read. */
const unseen = (failure: { unreachable: string } | string): RestoreProgress => ({
  unknown: typeof failure === 'string' ? failure : `the cluster does not answer: ${failure.unreachable}`,
});

/**
 * Compares what a pending restore was to bring back with the cluster now: a claim is back when it is
 * Bound, in its namespace, to a volume on the same cloud volume as in the backup.
 */
export async function restoreProgress(restore: PendingRestore, kubectl: string[], run: Run): Promise<RestoreProgress> {
  const wanted = toBringBack(restore);
  if (typeof wanted === 'string') return { unknown: wanted };
  const liveClaims = await liveList<ClaimObject>(run, claimListArgv(kubectl, restore.namespace));
  if (!Array.isArray(liveClaims)) return unseen(liveClaims);
  const liveVolumes = await liveList<VolumeObject>(run, volumeListArgv(kubectl));
  if (!Array.isArray(liveVolumes)) return unseen(liveVolumes);
  const savedVolumes = new Map<string | undefined, VolumeObject>(
    wanted.volumes.map((volume) => [volume.metadata?.name, volume]),
  );
  const claimsNow = new Map(liveClaims.map((claim) => [claim.metadata.name, claim]));
  const volumesNow = new Map(liveVolumes.map((volume) => [volume.metadata.name, volume]));
  const missing: string[] = [];
  for (const claim of wanted.claims) {
    const name = claim.metadata?.name ?? '';
    const saved = savedVolumes.get(claim.spec?.volumeName);
    const disk = saved ? cloudVolumeId(saved) : undefined;
    const now = claimsNow.get(name);
    const volume = volumesNow.get(now?.spec?.volumeName ?? '');
    if (!now) missing.push(`${name} (no claim)`);
    else if (now.status?.phase !== 'Bound' || !volume) missing.push(`${name} (${now.status?.phase ?? 'no phase'})`);
    else if (disk !== undefined && cloudVolumeId(volume) !== disk)
      missing.push(`${name} (on cloud volume ${cloudVolumeId(volume) ?? 'unknown'}, not ${disk})`);
  }
  return { total: wanted.claims.length, missing, from: wanted.from };
}

/** One line for the person deciding whether to release the restore. */
export function describeProgress(namespace: string, progress: RestoreProgress): string {
  if ('unknown' in progress) return `what is restored in ${namespace} cannot be seen: ${progress.unknown}`;
  if (progress.missing.length === 0)
    return `all ${progress.total} claim(s) of ${progress.from} are back in ${namespace}, each on its own cloud volume`;
  return `not restored in ${namespace}: ${progress.missing.length} of the ${progress.total} claim(s) of ${progress.from}: ${listSome(progress.missing)}`;
}
