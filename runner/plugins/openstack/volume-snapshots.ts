import { PlanError } from '../../plugin-contract/plan-error.js';
import { join } from 'node:path';
import { backupListItems, type BackupText } from '../kube/kube-list.js';
import { cloudVolumeId, isUserClaim, volumesOfNamespace, type VolumeObject } from '../kube/namespace-volumes.js';

/** A Cinder snapshot as `openstack volume snapshot list --long -f json` prints it. */
export interface CinderSnapshot {
  id: string;
  name: string;
  status: string;
  sizeGi: number;
  volumeId: string;
  createdAt: string;
  properties: Record<string, string>;
}

/** The properties the runner writes on each snapshot it makes: which run, and whose volume. */
export const runProperty = 'jhub-runner.run';
export const claimProperty = 'jhub-runner.claim';

/** The rows of `volume snapshot list --long -f json` (the client prints the volume's ID there in JSON). */
export function parseSnapshotList(rows: unknown): CinderSnapshot[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((row: Record<string, any>) => ({
    id: String(row['ID']),
    name: String(row['Name'] ?? ''),
    status: String(row['Status']),
    sizeGi: Number(row['Size']),
    volumeId: String(row['Volume'] ?? row['Volume ID'] ?? ''),
    createdAt: String(row['Created At'] ?? ''),
    properties:
      row['Properties'] && typeof row['Properties'] === 'object' ? (row['Properties'] as Record<string, string>) : {},
  }));
}

/** One volume a snapshot of this run is for: the claim that holds it and the Cinder volume behind it. */
export interface SnapshotTarget {
  claim: string;
  namespace: string;
  volumeId: string;
  pv: string;
}

/**
 * The users' volumes of the namespace in a backup's PV file (pv.json, or a hand-taken pv.yaml), each
 * with its Cinder volume: claim-<user>, a deleted user's Released one too. Not hub-db-dir, which no
 * step destroys (its volume stays behind, Retain) and which a snapshot would keep from ever being removed.
 */
export function snapshotTargets(dir: string, found: BackupText | undefined, namespace: string): SnapshotTarget[] {
  const file = found?.path ?? join(dir, 'pv.json');
  const volumes = volumesOfNamespace(backupListItems(file, found?.text) as VolumeObject[], namespace);
  return volumes
    .filter((volume) => isUserClaim(volume.spec?.claimRef?.name))
    .map((volume) => {
      const volumeId = cloudVolumeId(volume);
      if (!volumeId) throw new PlanError(`${file}: PV ${volume.metadata.name} names no Cinder volume`);
      return { claim: volume.spec!.claimRef!.name ?? '', namespace, volumeId, pv: volume.metadata.name };
    });
}

/** Cinder names are free text; this one says which run made it and for whom. */
export function snapshotName(run: string, target: SnapshotTarget): string {
  return `run-${run}-${target.namespace}-${target.claim}`;
}

/** The snapshots of this run for a target, newest first: its volume, with the run's and the claim's properties. */
export function snapshotsOf(snapshots: CinderSnapshot[], run: string, target: SnapshotTarget): CinderSnapshot[] {
  return snapshots
    .filter(
      (snapshot) =>
        snapshot.volumeId === target.volumeId &&
        snapshot.properties[runProperty] === run &&
        snapshot.properties[claimProperty] === `${target.namespace}/${target.claim}`,
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A value on a line the interactive client parses: nothing its parser acts on (quotes, |, >, ;, #, a leading -). */
const plainValue = /^[A-Za-z0-9][A-Za-z0-9._:=/-]*$/;

export function plainValueOf(value: string): string {
  if (!plainValue.test(value))
    throw new PlanError(
      `${JSON.stringify(value)} cannot be passed to the openstack client: only letters, digits and . _ : = / - are, starting with a letter or digit`,
    );
  return value;
}

/** The client's command for one snapshot: attached volumes need --force (Cinder before 3.66 refuses them otherwise). */
export function snapshotCommand(run: string, target: SnapshotTarget): string {
  const claim = `${target.namespace}/${target.claim}`;
  return [
    'volume snapshot create --volume',
    plainValueOf(target.volumeId),
    '--force --property',
    `${runProperty}=${plainValueOf(run)}`,
    '--property',
    `${claimProperty}=${plainValueOf(claim)}`,
    '-f value -c id',
    plainValueOf(snapshotName(run, target)),
  ].join(' ');
}

/** `openstack limits show --absolute -f json` as a map of name to value. */
export function parseLimits(rows: unknown): Record<string, number> {
  if (!Array.isArray(rows)) return {};
  return Object.fromEntries(rows.map((row: Record<string, any>) => [String(row['Name']), Number(row['Value'])]));
}

/** Why the project cannot hold `count` more snapshots of `gigabytes` GiB, or undefined when it can (-1 is unlimited). */
export function snapshotQuotaShortfall(
  limits: Record<string, number>,
  count: number,
  gigabytes: number,
): string | undefined {
  const room = (max: string, used: string) => {
    const limit = limits[max];
    return limit === undefined || limit < 0 ? Infinity : limit - (limits[used] ?? 0);
  };
  const snapshots = room('maxTotalSnapshots', 'totalSnapshotsUsed');
  const space = room('maxTotalVolumeGigabytes', 'totalGigabytesUsed');
  const short = [
    count > snapshots
      ? `room for ${Math.max(0, snapshots)} more snapshot(s) (quota ${limits['maxTotalSnapshots']})`
      : '',
    gigabytes > space
      ? `${Math.max(0, space)} GiB left of its ${limits['maxTotalVolumeGigabytes']} GiB (snapshots count against the volumes' gigabytes quota)`
      : '',
  ].filter(Boolean);
  return short.length ? `the project has ${short.join(' and ')}` : undefined;
}
