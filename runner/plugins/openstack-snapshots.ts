import { Type } from '@sinclair/typebox';
import { namespaceName } from '../input/kube-names.js';
import { definePlugin, type Destruction, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { readBackupFile, type BackupText } from './kube/kube-list.js';
import { listSome } from './kube/namespace-volumes.js';
import { parseVolumeList, type CinderVolume } from './openstack/cinder-volumes.js';
import { openstackBatch } from './openstack/openstack-batch.js';
import { openstackJsonBatch } from './openstack/openstack-json.js';
import {
  claimProperty,
  parseSnapshotList,
  plainValueOf,
  runProperty,
  snapshotTargets,
  type CinderSnapshot,
} from './openstack/volume-snapshots.js';
import { openstackHead } from './tools/openstack-head.js';

const schema = Type.Object(
  {
    namespace: namespaceName('The namespace whose snapshots are listed or deleted.'),
    run: Type.Optional(
      Type.String({
        pattern: '^([A-Za-z0-9][A-Za-z0-9._-]*)?$',
        description: "Only this run's snapshots (its run_id); empty or absent: every run's.",
      }),
    ),
    delete: Type.Optional(
      Type.Boolean({
        description:
          "Delete the run's snapshots, each only while its volume is in the cloud and held by its own claim in backup_dir (default false: list only).",
      }),
    ),
    backup_dir: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "For delete: a backup of the namespace's claims and volumes taken just before (pv.json), as the cluster holds them now.",
      }),
    ),
    ...openstackHead.args,
  },
  { additionalProperties: false },
);

interface SnapshotListFacts {
  snapshots: CinderSnapshot[];
  cloud: CinderVolume[];
  file: BackupText | undefined;
}

/** How many snapshot IDs one `volume snapshot delete` line names. */
const idsPerLine = 100;

function destruction(args: { namespace: string; run?: string }): Destruction {
  return {
    what: `the Cinder snapshots of run ${args.run} in ${args.namespace}`,
    namespace: args.namespace,
    cloudVolumes: true,
  };
}

function describeSnapshot(snapshot: CinderSnapshot, volumeInCloud: boolean): string {
  const volume = volumeInCloud
    ? `volume ${snapshot.volumeId}`
    : `volume ${snapshot.volumeId} is gone: this snapshot is the only copy`;
  return `run ${snapshot.properties[runProperty]}: ${snapshot.properties[claimProperty]} snapshot ${snapshot.id} (${snapshot.sizeGi} GiB, ${snapshot.status}, ${snapshot.createdAt.slice(0, 16).replace('T', ' ')}) of ${volume}`;
}

/**
 * The snapshots the runner made before destructive steps, as Cinder lists them; and their deletion
 * once a run's restore is verified, never of a snapshot that is the last copy of someone's files.
 */
export const openstackSnapshotsPlugin = definePlugin({
  name: 'openstack.snapshots',
  summary:
    "List the Cinder snapshots the runner made of a namespace's volumes, by run and claim; with delete, remove a run's snapshots once each volume is back with its own claim.",
  schema,
  destroys: "with delete: the run's Cinder snapshots, copies of the users' files from before that run",
  registers: {
    snapshots: 'the snapshots listed: id, run, claim, size_gib, status, volume_id, volume_in_cloud',
    deleted: 'the IDs of those it deletes',
  },
  heads: [openstackHead],
  effects: (args) => (args.delete ? { destroys: destruction(args) } : {}),
  async probe(args, io): Promise<SnapshotListFacts> {
    const [[snapshots, cloud], file] = await Promise.all([
      openstackJsonBatch(io, args, [
        ['volume', 'snapshot', 'list', '--long'],
        ['volume', 'list', '--long'],
      ]),
      args.backup_dir ? readBackupFile((path) => io.readFile(path), args.backup_dir, 'pv') : Promise.resolve(undefined),
    ]);
    return { snapshots: parseSnapshotList(snapshots), cloud: parseVolumeList(cloud), file };
  },
  plan(args, facts): StepPlan {
    if (args.delete && !args.run) throw new PlanError('delete needs the run whose snapshots go (run: <run_id>)');
    if (args.delete && !args.backup_dir)
      throw new PlanError("delete needs backup_dir: a backup of the namespace's volumes taken just before");
    if (!facts)
      return args.delete
        ? {
            change: 'delete',
            reason: `delete the snapshots of run ${args.run} in ${args.namespace} whose volumes are back with their claims (checked at run time)`,
            actions: [openstackBatch(args, [])],
            destroys: destruction(args),
          }
        : { change: 'none', reason: `list the snapshots of ${args.namespace} (known at run time)`, actions: [] };
    const inCloud = new Set(facts.cloud.map((volume) => volume.id));
    const ours = facts.snapshots
      .filter(
        (snapshot) =>
          snapshot.properties[runProperty] !== undefined &&
          (snapshot.properties[claimProperty] ?? '').startsWith(`${args.namespace}/`) &&
          (!args.run || snapshot.properties[runProperty] === args.run),
      )
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
    const listed = ours.map((snapshot) => ({
      id: snapshot.id,
      run: snapshot.properties[runProperty]!,
      claim: snapshot.properties[claimProperty]!.slice(args.namespace.length + 1),
      size_gib: snapshot.sizeGi,
      status: snapshot.status,
      volume_id: snapshot.volumeId,
      volume_in_cloud: inCloud.has(snapshot.volumeId),
    }));
    const details = ours.map((snapshot) => describeSnapshot(snapshot, inCloud.has(snapshot.volumeId)));
    const runs = new Set(listed.map((each) => each.run)).size;
    const gigabytes = listed.reduce((sum, each) => sum + each.size_gib, 0);
    const summary = `${listed.length} snapshot(s) of ${args.namespace} (${gigabytes} GiB) from ${runs} run(s)${args.run ? ` (run ${args.run})` : ''}`;
    if (!args.delete)
      return { change: 'none', reason: summary, actions: [], details, data: { snapshots: listed, deleted: [] } };
    if (listed.length === 0)
      return {
        change: 'none',
        reason: `no snapshot of run ${args.run} is left in ${args.namespace}`,
        actions: [],
        data: { snapshots: listed, deleted: [] },
      };
    // Each snapshot goes only while its user's data is where it belongs: in the cloud, with its own claim.
    const holders = new Map(
      snapshotTargets(args.backup_dir!, facts.file, args.namespace).map((target) => [target.volumeId, target.claim]),
    );
    const blocked = listed.flatMap((each) => {
      if (!each.volume_in_cloud)
        return [`${each.claim} (snapshot ${each.id}: its volume ${each.volume_id} is gone, so this is the only copy)`];
      const holder = holders.get(each.volume_id);
      if (holder !== each.claim)
        return [
          `${each.claim} (snapshot ${each.id}: its volume ${each.volume_id} is ${holder ? `held by ${holder}` : 'held by no claim of the namespace'})`,
        ];
      return [];
    });
    if (blocked.length)
      throw new PlanRefusal(
        `${blocked.length} snapshot(s) of run ${args.run} may be the only way back to a user's files: ${listSome(blocked)}. Nothing was deleted. Bring each user back first (-e restore_claim=<claim> -e snapshot_run=${args.run}), or delete a snapshot by hand with openstack volume snapshot delete <id> once you are sure`,
      );
    const ids = listed.map((each) => plainValueOf(each.id));
    const lines: string[] = [];
    for (let start = 0; start < ids.length; start += idsPerLine)
      lines.push(`volume snapshot delete ${ids.slice(start, start + idsPerLine).join(' ')}`);
    return {
      change: 'delete',
      reason: `delete ${listed.length} snapshot(s) of run ${args.run} in ${args.namespace} (${gigabytes} GiB); each volume is in the cloud and held by its own claim`,
      actions: [openstackBatch(args, lines)],
      destroys: destruction(args),
      details,
      data: { snapshots: listed, deleted: listed.map((each) => each.id) },
    };
  },
});
