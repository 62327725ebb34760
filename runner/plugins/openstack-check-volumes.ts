import { Type } from '@sinclair/typebox';
import { namespaceName } from '../input/kube-names.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { backupListItems } from './kube/kube-list.js';
import { cloudVolumeId, listSome, volumesOfNamespace, type VolumeObject } from './kube/namespace-volumes.js';
import { describeVolume, parseVolumeList, type CinderVolume } from './openstack/cinder-volumes.js';
import { openstackJson } from './openstack/openstack-json.js';
import { openstackHead } from './tools/openstack-head.js';

const schema = Type.Object(
  {
    volumes_file: Type.String({
      minLength: 1,
      description:
        'The volumes a restore will bring back (a kubectl list in JSON or YAML, such as pv-restore.json): each must name a Cinder volume the cloud still has.',
    }),
    namespace: namespaceName("The namespace whose volumes are checked; other namespaces' volumes in the file are not."),
    ...openstackHead.args,
  },
  { additionalProperties: false },
);

interface CheckFacts {
  file: string | undefined;
  cloud: CinderVolume[];
}

/** Cinder states from which a volume's data cannot be attached as it is. */
const broken = /^(error|error_.*|deleting|maintenance)$/;

/**
 * Before anything is destroyed, each volume a restore will bring back is looked up in the cloud: a
 * Cinder volume deleted by hand, or broken, would come back as a PV with no data behind it, after
 * the cluster that still showed the user's files is gone. One `volume list` for every user.
 */
export const openstackCheckVolumesPlugin = definePlugin({
  name: 'openstack.check_volumes',
  summary:
    'Check that the cloud still has each Cinder volume a restore will bring back, none in an error state; refuses naming each claim whose volume is gone.',
  schema,
  reads: ['cloud', 'files'],
  rechecksOnResume: true,
  changes: [],
  registers: {
    checked: 'how many cloud volumes were found',
    in_use: 'how many of them are attached to a server',
  },
  varDefaults: openstackHead.varDefaults,
  argsFromVars: openstackHead.fromVars,
  async probe(args, io): Promise<CheckFacts> {
    return {
      file: await io.readFile(args.volumes_file),
      cloud: parseVolumeList(
        await openstackJson(io, [...openstackHead.argv(args), 'volume', 'list', '--long', '--format', 'json']),
      ),
    };
  },
  plan(args, facts): StepPlan {
    if (!facts)
      return {
        change: 'none',
        reason: `check each Cinder volume of ${args.volumes_file} is in the cloud (known at run time)`,
        actions: [],
      };
    const volumes = volumesOfNamespace(
      backupListItems(args.volumes_file, facts.file) as VolumeObject[],
      args.namespace,
    );
    const cloud = new Map(facts.cloud.map((volume) => [volume.id, volume]));
    const missing: string[] = [];
    const unusable: string[] = [];
    const found: CinderVolume[] = [];
    for (const volume of volumes) {
      const id = cloudVolumeId(volume);
      const owner = `${volume.spec?.claimRef?.name ?? 'no claim'} (PV ${volume.metadata.name}`;
      if (!id) throw new PlanError(`${args.volumes_file}: PV ${volume.metadata.name} names no Cinder volume`);
      const inCloud = cloud.get(id);
      if (!inCloud) missing.push(`${owner}, cloud volume ${id})`);
      else if (broken.test(inCloud.status)) unusable.push(`${owner}, cloud volume ${describeVolume(inCloud)})`);
      else found.push(inCloud);
    }
    if (missing.length || unusable.length)
      throw new PlanRefusal(
        [
          missing.length
            ? `${missing.length} volume(s) of ${args.volumes_file} are not in the cloud any more: ${listSome(missing)}`
            : '',
          unusable.length ? `${unusable.length} are in a state Cinder cannot attach: ${listSome(unusable)}` : '',
        ]
          .filter(Boolean)
          .join('; ') +
          '. Nothing was destroyed. Bring each volume back in Cinder (from a snapshot or a backup of it), or leave its claim out of the restore (kubectl.prepare_restore skip; skip_claims in the playbooks), then run again',
      );
    const inUse = found.filter((volume) => volume.attachedTo.length > 0 || volume.status === 'in-use').length;
    return {
      change: 'none',
      reason: `all ${found.length} Cinder volume(s) of ${args.namespace} in ${args.volumes_file} are in the cloud${inUse ? ` (${inUse} attached to the old cluster's servers)` : ''}`,
      actions: [],
      data: { checked: found.length, in_use: inUse },
    };
  },
});
