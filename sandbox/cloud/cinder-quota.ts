import { overLimit } from './cinder-refusals.js';
import type { VolumeBackend } from './volume-backend.js';

/** A project's Block Storage quota; -1 is unlimited, as in Cinder. */
export interface CinderQuota {
  volumes: number;
  snapshots: number;
  /** Counts the gigabytes of volumes and of snapshots together (Cinder's default, without no_snapshot_gb_quota). */
  gigabytes: number;
}

export const unlimitedQuota: CinderQuota = { volumes: -1, snapshots: -1, gigabytes: -1 };

export interface CinderUsage {
  volumes: number;
  snapshots: number;
  gigabytes: number;
}

export function usageOf(backend: VolumeBackend): CinderUsage {
  const volumes = backend.list();
  const snapshots = backend.snapshots();
  return {
    volumes: volumes.length,
    snapshots: snapshots.length,
    gigabytes: [...volumes, ...snapshots].reduce((sum, each) => sum + each.sizeGi, 0),
  };
}

const exceeds = (limit: number, used: number, more: number) => limit >= 0 && used + more > limit;

/** Cinder's 413 body for one more snapshot or volume of `sizeGi`, or undefined when it fits; usage is read only under a limit. */
export function quotaRefusal(
  quota: CinderQuota,
  usageNow: () => CinderUsage,
  kind: 'snapshot' | 'volume',
  sizeGi: number,
): object | undefined {
  if (quota.volumes < 0 && quota.snapshots < 0 && quota.gigabytes < 0) return undefined;
  const usage = usageNow();
  if (kind === 'snapshot' && exceeds(quota.snapshots, usage.snapshots, 1))
    return overLimit(`Maximum number of snapshots allowed (${quota.snapshots}) exceeded`);
  if (kind === 'volume' && exceeds(quota.volumes, usage.volumes, 1))
    return overLimit(`Maximum number of volumes allowed (${quota.volumes}) exceeded for quota 'volumes'.`);
  if (exceeds(quota.gigabytes, usage.gigabytes, sizeGi))
    return overLimit(
      `Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${sizeGi}G, quota is ${quota.gigabytes}G and ${usage.gigabytes}G has been consumed.`,
    );
  return undefined;
}

/** `GET /limits`: what `openstack limits show --absolute` prints for Block Storage. */
export function absoluteLimits(quota: CinderQuota, usage: CinderUsage) {
  return {
    limits: {
      rate: [],
      absolute: {
        maxTotalVolumes: quota.volumes,
        maxTotalSnapshots: quota.snapshots,
        maxTotalVolumeGigabytes: quota.gigabytes,
        maxTotalBackups: 10,
        maxTotalBackupGigabytes: 1000,
        totalVolumesUsed: usage.volumes,
        totalSnapshotsUsed: usage.snapshots,
        totalGigabytesUsed: usage.gigabytes,
        totalBackupsUsed: 0,
        totalBackupGigabytesUsed: 0,
      },
    },
  };
}

/** `GET /os-quota-sets/<project>`: what `openstack quota show` prints for Block Storage. */
export function quotaSet(projectId: string, quota: CinderQuota) {
  return {
    quota_set: {
      id: projectId,
      volumes: quota.volumes,
      snapshots: quota.snapshots,
      gigabytes: quota.gigabytes,
      backups: 10,
      backup_gigabytes: 1000,
      per_volume_gigabytes: -1,
      groups: 10,
    },
  };
}
