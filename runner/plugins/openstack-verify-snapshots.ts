import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanRefusal } from '../plugin-contract/plan-error.js';
import { readBackupFile, type BackupText } from './kube/kube-list.js';
import { listSome } from './kube/namespace-volumes.js';
import { openstackJsonBatch } from './openstack/openstack-json.js';
import {
  parseSnapshotList,
  snapshotName,
  snapshotsOf,
  snapshotTargets,
  type CinderSnapshot,
} from './openstack/volume-snapshots.js';
import { snapshotArgs } from './openstack/snapshot-args.js';
import { openstackHead } from './tools/openstack-head.js';

const schema = Type.Object(
  {
    ...snapshotArgs(
      "The backup folder of the namespace's claims and volumes (pv.json or pv.yaml): each volume of the namespace must have its snapshot.",
      "The namespace whose claims' volumes are checked.",
    ),
    timeout: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Seconds to wait for snapshots Cinder is still making (default 600).' }),
    ),
    ...openstackHead.args,
  },
  { additionalProperties: false },
);

interface VerifyFacts {
  file: BackupText | undefined;
  snapshots: CinderSnapshot[];
  /** The IDs of the cloud's volumes: one it no longer has has nothing to snapshot. */
  cloud: string[];
  /** The snapshot report the backup folder holds already. */
  report: string | undefined;
}

/** Beside the backup's files: which snapshot holds each user's files, for whoever has only the folder. */
const reportPath = (dir: string) => join(dir, 'snapshots.json');

/**
 * The client's interactive mode goes on after a command fails, so what a snapshot step asked for is
 * proven here, from Cinder's own list: every volume has its snapshot of this run, available.
 */
export const openstackVerifySnapshotsPlugin = definePlugin({
  name: 'openstack.verify_snapshots',
  summary:
    "Check that each user volume of the namespace has an available Cinder snapshot of this run, waiting for those Cinder is still making, and list them in the backup folder's snapshots.json; refuses naming each one missing or in error.",
  schema,
  reads: ['cloud', 'files'],
  rechecksOnResume: true,
  changes: ['files'],
  registers: {
    snapshots: 'how many available snapshots of this run the namespace has',
    snapshot_ids: "each claim's snapshot ID, by claim name",
  },
  heads: [openstackHead],
  async probe(args, io): Promise<VerifyFacts> {
    const [file, [snapshots, cloud], report] = await Promise.all([
      readBackupFile((path) => io.readFile(path), args.backup_dir, 'pv'),
      openstackJsonBatch(io, args, [
        ['volume', 'snapshot', 'list', '--long'],
        ['volume', 'list', '--column', 'ID'],
      ]),
      io.readFile(reportPath(args.backup_dir)),
    ]);
    return {
      file,
      snapshots: parseSnapshotList(snapshots),
      cloud: (Array.isArray(cloud) ? cloud : []).map((row: Record<string, unknown>) => String(row['ID'])),
      report,
    };
  },
  plan(args, facts): StepPlan {
    if (!facts)
      return {
        change: 'none',
        reason: `check each volume of ${args.namespace} in ${args.backup_dir} has a snapshot of run ${args.run} (known at run time)`,
        actions: [],
      };
    const inCloud = new Set(facts.cloud);
    const targets = snapshotTargets(args.backup_dir, facts.file, args.namespace).filter((target) =>
      inCloud.has(target.volumeId),
    );
    const missing: string[] = [];
    const failed: string[] = [];
    const making: string[] = [];
    const ids: Record<string, string> = {};
    const details: string[] = [];
    const reported: { claim: string; volume_id: string; snapshot_id: string; size_gib: number }[] = [];
    for (const target of targets) {
      const all = snapshotsOf(facts.snapshots, args.run, target);
      const ready = all.find((snapshot) => snapshot.status === 'available');
      if (ready) {
        ids[target.claim] = ready.id;
        reported.push({
          claim: target.claim,
          volume_id: target.volumeId,
          snapshot_id: ready.id,
          size_gib: ready.sizeGi,
        });
        details.push(`${target.claim}: snapshot ${ready.id} (${ready.sizeGi} GiB) of volume ${target.volumeId}`);
      } else if (all.some((snapshot) => snapshot.status === 'creating')) making.push(target.claim);
      else if (all.length) failed.push(`${target.claim} (${snapshotName(args.run, target)}: ${all[0]!.status})`);
      else missing.push(target.claim);
    }
    if (missing.length || failed.length)
      throw new PlanRefusal(
        [
          missing.length
            ? `${missing.length} volume(s) of ${args.namespace} have no snapshot of run ${args.run}: ${listSome(missing)}`
            : '',
          failed.length ? `${failed.length} snapshot(s) failed in Cinder: ${listSome(failed)}` : '',
        ]
          .filter(Boolean)
          .join('; ') +
          ". Nothing was destroyed. The openstack client's words are in the run log; once the cause is dealt with (quota, a volume in error), resume the run to make the missing ones",
      );
    const data = { snapshots: Object.keys(ids).length, snapshot_ids: ids };
    if (making.length)
      return {
        change: 'create',
        reason: `${making.length} snapshot(s) of ${args.namespace} are still being made: ${listSome(making)}`,
        actions: [],
        poll: {
          waitingFor: `Cinder to finish ${making.length} snapshot(s)`,
          intervalSeconds: 2,
          timeoutSeconds: args.timeout ?? 600,
        },
        data,
      };
    const report = `${JSON.stringify({ run: args.run, namespace: args.namespace, snapshots: reported }, null, 2)}\n`;
    const reason = `each of the ${targets.length} volume(s) of ${args.namespace} has an available snapshot of run ${args.run}; ${reportPath(args.backup_dir)} lists them`;
    return {
      change: facts.report === report ? 'none' : 'create',
      reason,
      actions: facts.report === report ? [] : [{ kind: 'write', path: reportPath(args.backup_dir), content: report }],
      details,
      data,
    };
  },
});
