import { Type } from '@sinclair/typebox';
import { namespaceName, objectName } from '../input/kube-names.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanRefusal } from '../plugin-contract/plan-error.js';
import { join } from 'node:path';
import { kubeListItems, kubeListText, readBackupFile, type BackupText } from './kube/kube-list.js';
import { preBoundVolume, restoredClaim } from './kube/restore-plan.js';
import { restoreFiles } from './kube/restore-files.js';
import { parseVolumeList, type CinderVolume } from './openstack/cinder-volumes.js';
import { openstackJsonBatch } from './openstack/openstack-json.js';
import { claimProperty, parseSnapshotList, runProperty, type CinderSnapshot } from './openstack/volume-snapshots.js';
import { snapshotRun } from './openstack/snapshot-args.js';
import { openstackHead } from './tools/openstack-head.js';

/** The property on a volume made from a snapshot: which one, so a rerun finds it instead of making another. */
const fromSnapshotProperty = 'jhub-runner.from-snapshot';

const schema = Type.Object(
  {
    namespace: namespaceName('The namespace of the claim.'),
    claim: objectName("The user's claim (claim-<user>) whose volume comes back from its snapshot."),
    run: snapshotRun('The run whose snapshot of the claim is used (its run_id).'),
    backup_dir: Type.String({
      minLength: 1,
      description:
        "A backup of the namespace's claims and volumes (pv.json and pvc.json): the claim, and its PV as the pattern for the new one, are made again from it.",
    }),
    dir: Type.String({ minLength: 1, description: 'Where the restore files for the claim are written.' }),
    suffix: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._-]*$',
        description: 'The restore files are pv<suffix>.json and pvc<suffix>.json (default -restore).',
      }),
    ),
    ...openstackHead.args,
  },
  { additionalProperties: false },
);

interface FromSnapshotFacts {
  snapshots: CinderSnapshot[];
  cloud: CinderVolume[];
  volumes: BackupText | undefined;
  claims: BackupText | undefined;
  written: { volumes: string | undefined; claims: string | undefined };
}

/** The CSI driver a restored PV names: in-tree Cinder is gone from Kubernetes since 1.26. */
const cinderCsi = 'cinder.csi.openstack.org';

function newVolumeFiles(
  args: { namespace: string; claim: string; backup_dir: string },
  facts: FromSnapshotFacts,
  volume: CinderVolume,
) {
  const file = {
    volumes: facts.volumes?.path ?? join(args.backup_dir, 'pv.json'),
    claims: facts.claims?.path ?? join(args.backup_dir, 'pvc.json'),
  };
  const oldPv = (kubeListItems(file.volumes, facts.volumes?.text) as any[]).find(
    (pv) => pv.spec?.claimRef?.namespace === args.namespace && pv.spec?.claimRef?.name === args.claim,
  );
  const oldClaim = (kubeListItems(file.claims, facts.claims?.text) as any[]).find(
    (pvc) => pvc.metadata?.name === args.claim && (pvc.metadata?.namespace ?? args.namespace) === args.namespace,
  );
  if (!oldPv || !oldClaim)
    throw new PlanRefusal(
      `${args.namespace}/${args.claim} is not in the backup (${!oldPv ? file.volumes : file.claims}): the new volume is in the cloud (${volume.id}), but there is nothing to make its PV and claim from. Take the backup again with the claim in the namespace`,
    );
  const name = `restored-${volume.id}`;
  const { cinder: _cinder, csi, ...spec } = oldPv.spec;
  const pv = preBoundVolume({
    ...oldPv,
    metadata: { ...oldPv.metadata, name },
    spec: {
      ...spec,
      capacity: { storage: `${volume.sizeGi}Gi` },
      csi: { driver: cinderCsi, volumeHandle: volume.id, fsType: csi?.fsType ?? oldPv.spec.cinder?.fsType ?? 'ext4' },
    },
  });
  const claim = restoredClaim(oldClaim, pv);
  claim['spec'] = { ...claim['spec'], volumeName: name };
  return { pv: kubeListText([pv]), pvc: kubeListText([claim]) };
}

/**
 * One user's volume back from a snapshot of a run: a new Cinder volume made from it, then the restore
 * files that reserve it for the user's claim. Run twice in a playbook: the first makes the volume,
 * the second (once Cinder has made it) writes the files; either finds what an earlier attempt made.
 */
export const openstackVolumeFromSnapshotPlugin = definePlugin({
  name: 'openstack.volume_from_snapshot',
  summary:
    "Make a new Cinder volume from a run's snapshot of a user's volume, then write the PV and claim files (pv-restore.json, pvc-restore.json) that reserve it for that user's claim.",
  schema,
  registers: {
    snapshot_id: 'the snapshot the volume is made from',
    volume_id: "the new Cinder volume's ID, once Cinder has made it (empty before)",
  },
  heads: [openstackHead],
  async probe(args, io): Promise<FromSnapshotFacts> {
    const files = restoreFiles(args.dir, args.suffix);
    const read = (path: string) => io.readFile(path);
    const [[snapshots, cloud], volumes, claims, writtenVolumes, writtenClaims] = await Promise.all([
      openstackJsonBatch(io, args, [
        ['volume', 'snapshot', 'list', '--long'],
        ['volume', 'list', '--long'],
      ]),
      readBackupFile(read, args.backup_dir, 'pv'),
      readBackupFile(read, args.backup_dir, 'pvc'),
      io.readFile(files.volumes),
      io.readFile(files.claims),
    ]);
    return {
      snapshots: parseSnapshotList(snapshots),
      cloud: parseVolumeList(cloud),
      volumes,
      claims,
      written: { volumes: writtenVolumes, claims: writtenClaims },
    };
  },
  plan(args, facts): StepPlan {
    const owner = `${args.namespace}/${args.claim}`;
    const files = restoreFiles(args.dir, args.suffix);
    if (!facts)
      return {
        change: 'create',
        reason: `make a volume for ${owner} from its snapshot of run ${args.run}, then write ${files.volumes} and ${files.claims} (known at run time)`,
        actions: [{ kind: 'exec', argv: [...openstackHead.argv(args), 'volume', 'create'] }],
      };
    const snapshot = facts.snapshots
      .filter((each) => each.properties[runProperty] === args.run && each.properties[claimProperty] === owner)
      .filter((each) => each.status === 'available')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!snapshot)
      throw new PlanRefusal(
        `run ${args.run} has no available snapshot of ${owner}. List the snapshots of the namespace with: run playbooks/volume-snapshots.yml`,
      );
    const made = facts.cloud.find((volume) => volume.properties?.[fromSnapshotProperty] === snapshot.id);
    const data = { snapshot_id: snapshot.id, volume_id: made?.status === 'available' ? made.id : '' };
    if (!made)
      return {
        change: 'create',
        reason: `make a ${snapshot.sizeGi} GiB Cinder volume for ${owner} from snapshot ${snapshot.id} of run ${args.run}`,
        actions: [
          {
            kind: 'exec',
            argv: [
              ...openstackHead.argv(args),
              'volume',
              'create',
              '--snapshot',
              snapshot.id,
              '--size',
              String(snapshot.sizeGi),
              '--property',
              `${fromSnapshotProperty}=${snapshot.id}`,
              '--property',
              `${claimProperty}=${owner}`,
              '--format',
              'value',
              '--column',
              'id',
              `restored-${args.claim}`,
            ],
          },
        ],
        data,
      };
    if (made.status === 'creating')
      return {
        change: 'create',
        reason: `Cinder is making volume ${made.id} for ${owner} from snapshot ${snapshot.id}`,
        actions: [],
        poll: { waitingFor: `volume ${made.id} to be available`, intervalSeconds: 2, timeoutSeconds: 600 },
        data,
      };
    if (made.status !== 'available')
      throw new PlanRefusal(
        `volume ${made.id}, made for ${owner} from snapshot ${snapshot.id}, is ${made.status} in Cinder. Delete it (openstack volume delete ${made.id}) and run again to make another`,
      );
    const content = newVolumeFiles(args, facts, made);
    const writes = [
      { path: files.volumes, content: content.pv, before: facts.written.volumes },
      { path: files.claims, content: content.pvc, before: facts.written.claims },
    ].filter((write) => write.before !== write.content);
    const reason = `volume ${made.id} (${made.sizeGi} GiB, from snapshot ${snapshot.id}) is reserved for ${owner} in ${files.volumes} and ${files.claims}`;
    return {
      change: writes.length ? 'create' : 'none',
      reason,
      actions: writes.map((write) => ({ kind: 'write' as const, path: write.path, content: write.content })),
      data,
    };
  },
});
