import { existsSync } from 'node:fs';
import { maxDataFileBytes, readInputText } from '../input/read-input-file.js';
import { basename } from 'node:path';
import type { ProtectedBackup } from '../plugin-contract/contract.js';
import { backupFile, parseKubeList } from '../plugins/kube/kube-list.js';
import { backupDigest } from '../plugins/kube/backup-digest.js';
import {
  cloudVolumeId,
  listSome,
  volumesOfNamespace,
  type ClaimObject,
  type VolumeObject,
} from '../plugins/kube/namespace-volumes.js';
import { claimListArgv, volumeListArgv } from '../plugins/kube/storage-lists.js';
import { kubectlHead } from '../plugins/tools/kubectl-head.js';
import { liveList, type Run } from './live-list.js';
import type { Destruction } from '../plugin-contract/contract.js';

/** The files of a backup folder, with what they hold now: the two a run wrote or a person named. */
export function backupFiles(dir: string): { path: string; sha256: string }[] {
  return (['pvc', 'pv'] as const)
    .map((kind) => backupFile(dir, kind))
    .filter((path) => existsSync(path))
    .map((path) => ({ path, sha256: backupDigest(readBackupText(path)) }));
}

/** A backup file as every reader of the project reads one: a regular file, within the data limit. */
const readBackupText = (path: string) => readInputText(path, 'backup file', maxDataFileBytes);

/** What the backup holds: its claims and their volumes, read back from disk now, or why it cannot be trusted. */
function readBack(backup: ProtectedBackup): { claims: ClaimObject[]; volumes: VolumeObject[] } | string {
  const lists: Partial<Record<'pvc' | 'pv', unknown[]>> = {};
  for (const kind of ['pvc', 'pv'] as const) {
    const recorded = backup.files?.find((file) => basename(file.path).startsWith(`${kind}.`));
    const path = recorded?.path ?? backupFile(backup.dir, kind);
    if (!existsSync(path)) return `${path} is gone`;
    let text: string;
    try {
      text = readBackupText(path);
    } catch (error) {
      return (error as Error).message;
    }
    if (recorded && backupDigest(text) !== recorded.sha256) return `${path} changed since the backup was taken`;
    let document: { items?: unknown } | undefined;
    try {
      document = parseKubeList(text) as typeof document;
    } catch {
      return `${path} no longer reads as a kubectl list`;
    }
    if (!Array.isArray(document?.items)) return `${path} is not a kubectl list`;
    lists[kind] = document.items;
  }
  return { claims: lists.pvc as ClaimObject[], volumes: lists.pv as VolumeObject[] };
}

/**
 * Compares a backup with the live cluster at the moment a destruction is decided: its files are
 * there and unchanged, and every claim Bound in its namespace now is in it with the same volume,
 * and that volume with the same cloud volume. Undefined when it matches (or no cluster answers any
 * more, when the files alone can be checked); otherwise what does not match.
 */
export async function backupMismatch(
  backup: ProtectedBackup,
  kubectl: string[],
  run: Run,
): Promise<string | undefined> {
  const saved = readBack(backup);
  if (typeof saved === 'string') return saved;
  const liveClaims = await liveList<ClaimObject>(run, claimListArgv(kubectl, backup.namespace));
  if (typeof liveClaims === 'string') return liveClaims;
  if (!Array.isArray(liveClaims)) return undefined;
  const liveVolumes = await liveList<VolumeObject>(run, volumeListArgv(kubectl));
  if (typeof liveVolumes === 'string') return liveVolumes;
  if (!Array.isArray(liveVolumes)) return undefined;
  const savedClaims = new Map(
    saved.claims
      .filter((claim) => claim.metadata?.namespace === undefined || claim.metadata.namespace === backup.namespace)
      .map((claim) => [claim.metadata?.name, claim]),
  );
  const savedVolumes = new Map(
    volumesOfNamespace(saved.volumes, backup.namespace).map((volume) => [volume.metadata?.name, volume]),
  );
  const liveByName = new Map(liveVolumes.map((volume) => [volume.metadata.name, volume]));
  const missing: string[] = [];
  for (const claim of liveClaims.filter((candidate) => candidate.status?.phase === 'Bound')) {
    const volumeName = claim.spec?.volumeName ?? '';
    const label = `${claim.metadata.name} (volume ${volumeName || 'none'})`;
    const kept = savedClaims.get(claim.metadata.name);
    const keptVolume = savedVolumes.get(volumeName);
    if (!kept || kept.spec?.volumeName !== volumeName || !keptVolume) {
      missing.push(label);
      continue;
    }
    const live = liveByName.get(volumeName);
    const [was, is] = [cloudVolumeId(keptVolume), live ? cloudVolumeId(live) : undefined];
    if (was !== is) missing.push(`${label}: cloud volume ${is ?? 'unknown'} now, ${was ?? 'none'} in the backup`);
  }
  return missing.length
    ? `it does not hold ${missing.length} claim(s) Bound in ${backup.namespace} now, as they are: ${listSome(missing)}`
    : undefined;
}

/** The kubectl that reads the cluster a destruction is about: the step's own connection, else the inventory's. */
export function clusterKubectl(cluster: Destruction['cluster'], vars: Readonly<Record<string, unknown>>): string[] {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const binary = cluster?.kubectl ?? text(vars['kubectl_binary']);
  const kubeconfig = cluster?.kubeconfig ?? text(vars['kubeconfig']);
  const context = cluster?.context ?? text(vars['kube_context']);
  return kubectlHead.argv({
    ...(binary ? { binary } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(context ? { context } : {}),
  });
}
