import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanRefusal } from '../plugin-contract/plan-error.js';
import { readBackupFile, type BackupText } from './kube/kube-list.js';
import { parseVolumeList, type CinderVolume } from './openstack/cinder-volumes.js';
import { openstackJsonBatch } from './openstack/openstack-json.js';
import {
  parseLimits,
  parseSnapshotList,
  snapshotCommand,
  snapshotName,
  snapshotQuotaShortfall,
  snapshotsOf,
  snapshotTargets,
  type CinderSnapshot,
} from './openstack/volume-snapshots.js';
import { openstackBatch } from './openstack/openstack-batch.js';
import { snapshotArgs } from './openstack/snapshot-args.js';
import { openstackHead } from './tools/openstack-head.js';

const schema = Type.Object(
  {
    ...snapshotArgs(
      "The backup folder of the namespace's claims and volumes (pv.json, or a hand-taken pv.yaml): each volume of the namespace gets a snapshot.",
      "The namespace whose claims' volumes get a snapshot; other namespaces' volumes in the file do not.",
    ),
    ...openstackHead.args,
  },
  { additionalProperties: false },
);

interface SnapshotFacts {
  file: BackupText | undefined;
  cloud: CinderVolume[];
  snapshots: CinderSnapshot[];
  limits: Record<string, number>;
}

/**
 * How many client processes make snapshots side by side: each spends most of its time parsing or
 * waiting for Cinder. The same number whatever the number of users, so a run's processes do not grow with the hub.
 */
const clientProcesses = 4;

function inBatches(commands: string[]): string[][] {
  const processes = Math.max(1, Math.min(clientProcesses, commands.length));
  const size = Math.ceil(commands.length / processes);
  return Array.from({ length: processes }, (_, index) => commands.slice(index * size, (index + 1) * size));
}

/**
 * Before a step that could lose a user's files, Cinder keeps a copy of each volume beside it. The
 * project's quota is checked first, so a run that could not snapshot every volume writes nothing.
 */
export const openstackSnapshotVolumesPlugin = definePlugin({
  name: 'openstack.snapshot_volumes',
  summary:
    "Make a Cinder snapshot of each volume of the namespace's claims, named for the run and the claim, after checking the project's quota has room for all of them.",
  schema,
  reads: ['cloud', 'files'],
  rechecksOnResume: true,
  changes: ['cloud'],
  registers: {
    snapshots: 'how many volumes of the namespace have a snapshot of this run once the step is done',
    snapshot_gigabytes: 'their total size in GiB',
  },
  heads: [openstackHead],
  async probe(args, io): Promise<SnapshotFacts> {
    const [file, [volumes, snapshots, limits]] = await Promise.all([
      readBackupFile((path) => io.readFile(path), args.backup_dir, 'pv'),
      openstackJsonBatch(io, args, [
        ['volume', 'list', '--long'],
        ['volume', 'snapshot', 'list', '--long'],
        ['limits', 'show', '--absolute'],
      ]),
    ]);
    return {
      file,
      cloud: parseVolumeList(volumes),
      snapshots: parseSnapshotList(snapshots),
      limits: parseLimits(limits),
    };
  },
  plan(args, facts): StepPlan {
    if (!facts)
      return {
        change: 'create',
        reason: `snapshot each Cinder volume of ${args.namespace} in ${args.backup_dir} (which, known at run time)`,
        actions: [openstackBatch(args, [])],
      };
    const all = snapshotTargets(args.backup_dir, facts.file, args.namespace);
    const cloud = new Map(facts.cloud.map((volume) => [volume.id, volume]));
    // A volume the cloud no longer has holds nothing to copy; the restore's own check (openstack.check_volumes) decides about it.
    const gone = all.filter((target) => !cloud.has(target.volumeId));
    const targets = all.filter((target) => cloud.has(target.volumeId));
    const goneLines = gone.map(
      (target) => `${target.claim}: its Cinder volume ${target.volumeId} is not in the cloud; nothing to snapshot`,
    );
    const done = targets.filter((target) =>
      snapshotsOf(facts.snapshots, args.run, target).some((snapshot) => !/^error/.test(snapshot.status)),
    );
    const needed = targets.filter((target) => !done.includes(target));
    const sizeOf = (volumeId: string) => cloud.get(volumeId)!.sizeGi;
    const gigabytes = targets.reduce((sum, target) => sum + sizeOf(target.volumeId), 0);
    const data = { snapshots: targets.length, snapshot_gigabytes: gigabytes };
    const keep = targets.length
      ? [
          `${targets.length} snapshot(s) of ${args.namespace}'s volumes (${gigabytes} GiB), named run-${args.run}-${args.namespace}-<claim>; list them with: run playbooks/volume-snapshots.yml -e snapshot_run=${args.run}`,
        ]
      : [];
    if (needed.length === 0)
      return {
        change: 'none',
        reason: targets.length
          ? `each of the ${targets.length} volume(s) of ${args.namespace} has a snapshot of run ${args.run}`
          : `${args.namespace} has no user volume in ${args.backup_dir} the cloud has: nothing to snapshot`,
        actions: [],
        details: goneLines,
        data,
        keep,
      };
    const neededGigabytes = needed.reduce((sum, target) => sum + sizeOf(target.volumeId), 0);
    const shortfall = snapshotQuotaShortfall(facts.limits, needed.length, neededGigabytes);
    if (shortfall)
      throw new PlanRefusal(
        `${needed.length} snapshot(s) of ${neededGigabytes} GiB are needed before anything is destroyed, but ${shortfall}. Nothing was written. Delete the snapshots of an earlier run once its restore is verified (run playbooks/volume-snapshots.yml -e delete_snapshots_of=<run>), ask the cloud for a larger quota, or turn snapshots off for this site (snapshot_volumes: false)`,
      );
    return {
      change: 'create',
      reason: `snapshot ${needed.length} Cinder volume(s) of ${args.namespace} (${neededGigabytes} GiB)${done.length ? `; ${done.length} have theirs already` : ''}${gone.length ? `; ${gone.length} not in the cloud` : ''}`,
      actions: inBatches(needed.map((target) => snapshotCommand(args.run, target))).map((commands) =>
        openstackBatch(args, commands),
      ),
      concurrency: clientProcesses,
      details: [
        ...needed.map(
          (target) =>
            `${target.claim}: ${snapshotName(args.run, target)} of volume ${target.volumeId} (${sizeOf(target.volumeId)} GiB)`,
        ),
        ...goneLines,
      ],
      data,
      keep,
    };
  },
});
