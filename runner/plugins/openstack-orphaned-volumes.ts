import { Type } from '@sinclair/typebox';
import { didYouMean, didYouMeanHint } from '../input/did-you-mean.js';
import { definePlugin, type ProbeIO, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { connectionArgs, connectionFromVars } from './tools/kube-connection.js';
import { kubectlHead } from './tools/kubectl-head.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { cloudVolumeId, listSome, type VolumeObject } from './kube/namespace-volumes.js';
import { describeVolume, isUserVolume, parseVolumeList, type CinderVolume } from './openstack/cinder-volumes.js';
import { openstackHead } from './tools/openstack-head.js';
import { openstackJson } from './openstack/openstack-json.js';
import { volumeListArgv } from './kube/storage-lists.js';

const schema = Type.Object(
  {
    delete: Type.Optional(
      Type.Union([Type.Array(Type.String({ minLength: 1 })), Type.String()], {
        description:
          'IDs (or unique names) of the listed volumes to delete, as a list or one string separated by commas or spaces (`-e delete_volumes=<id>,<id>`); each must still have no PV and be detached when the step runs (default: none, the step only lists).',
      }),
    ),
    allow_user_volumes: Type.Optional(
      Type.Boolean({
        description:
          "Also delete named volumes made for a user's claim (claim-<user>), which hold a home directory (default false: such a volume is refused).",
      }),
    ),
    only_check: Type.Optional(
      Type.Boolean({
        description:
          'Check that each volume in delete may be deleted, and delete nothing: a step before the backup, so that a wrong name stops the run before anything is written (default false).',
      }),
    ),
    ...kubectlHead.second.args,
    ...openstackHead.args,
    ...connectionArgs,
  },
  { additionalProperties: false },
);

/** A PV and the Cinder volume it stands for. */
interface VolumeUse {
  pv: string;
  claim?: string;
}

interface OrphanFacts {
  volumes: CinderVolume[];
  /** Cinder volume ID to the PV that uses it. */
  usedBy: Record<string, VolumeUse>;
}

/** Reads at most this many `volume show` at once: each is a client start of about a second. */
const showConcurrency = 4;

async function withCreationDates(io: ProbeIO, openstack: string[], volumes: CinderVolume[]): Promise<void> {
  for (let start = 0; start < volumes.length; start += showConcurrency) {
    await Promise.all(
      volumes.slice(start, start + showConcurrency).map(async (volume) => {
        const shown = await openstackJson(io, [
          ...openstack,
          'volume',
          'show',
          volume.id,
          '--format',
          'json',
          '--column',
          'created_at',
        ]);
        if (typeof shown?.created_at === 'string') volume.createdAt = shown.created_at;
      }),
    );
  }
}

/** The IDs asked for, from a list or from one string such as `-e delete_volumes=<id>,<id>`. */
function requestedIds(value: string[] | string | undefined): string[] {
  const words = typeof value === 'string' ? value.split(/[\s,]+/) : (value ?? []);
  return [...new Set(words.map((word) => word.trim()).filter(Boolean))];
}

const named = (volumes: readonly CinderVolume[]) =>
  volumes.map((volume) => `${describeVolume(volume)}${isUserVolume(volume) ? ": a user's home directory" : ''}`);

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A whole volume ID that the cloud no longer has: deleted already (by an earlier or interrupted run),
 * so there is nothing to do. One a few characters off a volume the cloud has is a typo, not that.
 */
function alreadyGone(wanted: string, facts: OrphanFacts): boolean {
  return (
    uuid.test(wanted) &&
    !facts.volumes.some((volume) => volume.id === wanted) &&
    didYouMean(
      wanted,
      facts.volumes.map((volume) => volume.id),
    ) === undefined
  );
}

/** The volumes the step was asked to delete, each found by ID or unique name and proven orphaned and detached, or why not. */
function chosen(requested: readonly string[], facts: OrphanFacts, allowUserVolumes: boolean): CinderVolume[] {
  return requested
    .filter((wanted) => !alreadyGone(wanted, facts))
    .map((wanted) => {
      const byId = facts.volumes.find((volume) => volume.id === wanted);
      const byName = facts.volumes.filter((volume) => volume.name === wanted);
      if (!byId && byName.length > 1)
        throw new PlanError(
          `${byName.length} Cinder volumes are named ${wanted}: name one by ID (${byName.map((volume) => volume.id).join(', ')})`,
        );
      const volume = byId ?? byName[0];
      if (!volume) {
        const hint = didYouMeanHint(
          wanted,
          facts.volumes.filter((each) => !facts.usedBy[each.id]).flatMap((each) => [each.id, each.name]),
        );
        throw new PlanError(`no Cinder volume has the ID or name ${wanted}${hint ? `; ${hint}` : ''}`);
      }
      const use = facts.usedBy[volume.id];
      if (use)
        throw new PlanRefusal(
          `refused to delete Cinder volume ${describeVolume(volume)}: PV ${use.pv}${use.claim ? ` (claim ${use.claim})` : ''} uses it`,
        );
      if (volume.status !== 'available' || volume.attachedTo.length)
        throw new PlanRefusal(
          `refused to delete Cinder volume ${describeVolume(volume)}: Cinder deletes only an available, detached volume`,
        );
      if (isUserVolume(volume) && !allowUserVolumes) {
        throw new PlanRefusal(
          `refused to delete Cinder volume ${describeVolume(volume)}: it was made for a user's claim and holds their home directory; restore it to them, or set allow_user_volumes (-e delete_user_volumes=true) if that user is gone for good`,
        );
      }
      return volume;
    });
}

/** Lists the cloud's Cinder volumes that no PV of the cluster uses (a rebuilt hub's old database, a deleted PV's disk), and deletes only those named. */
export const openstackOrphanedVolumesPlugin = definePlugin({
  name: 'openstack.orphaned_volumes',
  summary:
    'List the Cinder volumes no PersistentVolume uses, with size and creation date; delete only those named, and only while still unused.',
  schema,
  destroys: 'when delete names volumes: those Cinder volumes, and the files on them',
  registers: {
    orphaned: 'the volumes no PV points at',
    deleted: 'the IDs of those it deletes',
  },
  varDefaults: { ...kubectlHead.second.varDefaults, ...openstackHead.varDefaults },
  argsFromVars: { ...kubectlHead.second.fromVars, ...openstackHead.fromVars, ...connectionFromVars },
  effects: (args) => {
    const requested = args.only_check ? [] : requestedIds(args.delete);
    return requested.length
      ? { destroys: { what: `Cinder volume(s) ${requested.join(', ')}`, cloudVolumes: true } }
      : {};
  },
  async probe(args, io): Promise<OrphanFacts> {
    // The cluster first: a cluster that cannot be read must stop the step before any volume looks unused.
    const pvs: VolumeObject[] = (await kubectlJson(io, volumeListArgv(kubectlHead.second.argv(args))))?.items ?? [];
    const openstack = openstackHead.argv(args);
    const volumes = parseVolumeList(
      await openstackJson(io, [...openstack, 'volume', 'list', '--long', '--format', 'json']),
    );
    const usedBy: Record<string, VolumeUse> = {};
    for (const pv of pvs) {
      const id = cloudVolumeId(pv);
      const claim = pv.spec?.claimRef;
      if (id)
        usedBy[id] = { pv: pv.metadata.name, ...(claim?.name ? { claim: `${claim.namespace}/${claim.name}` } : {}) };
    }
    await withCreationDates(
      io,
      openstack,
      volumes.filter((volume) => !usedBy[volume.id]),
    );
    return { volumes, usedBy };
  },
  plan(args, facts): StepPlan {
    const requested = requestedIds(args.delete);
    const argv = (ids: readonly string[]) => [...openstackHead.argv(args), 'volume', 'delete', ...ids];
    if (!facts) {
      if (requested.length === 0 || args.only_check)
        return { change: 'none', reason: 'list the Cinder volumes no PV uses (known at run time)', actions: [] };
      const what = `Cinder volume(s) ${requested.join(', ')}`;
      return {
        change: 'delete',
        reason: `delete ${what} if no PV uses them and they are detached (checked at run time)`,
        actions: [{ kind: 'exec', argv: argv(requested) }],
        destroys: { what, cloudVolumes: true },
      };
    }
    const orphans = facts.volumes
      .filter((volume) => !facts.usedBy[volume.id])
      .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
    const orphaned = orphans.map((volume) => ({
      id: volume.id,
      name: volume.name,
      size_gib: volume.sizeGi,
      created_at: volume.createdAt ?? null,
      status: volume.status,
    }));
    const gib = orphans.reduce((total, volume) => total + volume.sizeGi, 0);
    if (requested.length === 0) {
      if (orphans.length === 0)
        return {
          change: 'none',
          reason: `every one of the ${facts.volumes.length} Cinder volume(s) is used by a PV`,
          actions: [],
          data: { orphaned, deleted: [] },
        };
      return {
        change: 'none',
        reason: `${orphans.length} of ${facts.volumes.length} Cinder volume(s) have no PV (${gib} GiB); name those to remove in delete_volumes`,
        actions: [],
        details: named(orphans),
        data: { orphaned, deleted: [] },
      };
    }
    const doomed = [
      ...new Map(
        chosen(requested, facts, args.allow_user_volumes === true).map((volume) => [volume.id, volume]),
      ).values(),
    ];
    const gone = requested.filter((wanted) => alreadyGone(wanted, facts));
    const goneNote = gone.length
      ? `; ${gone.length} named volume(s) no longer exist (deleted already): ${listSome(gone, 5)}`
      : '';
    if (args.only_check) {
      return {
        change: 'none',
        reason: `${orphans.length} of ${facts.volumes.length} Cinder volume(s) have no PV (${gib} GiB); the ${doomed.length} named may be deleted${goneNote}`,
        actions: [],
        details: named(orphans).map(
          (line, index) => `${doomed.some((volume) => volume.id === orphans[index]!.id) ? 'delete' : 'keep  '} ${line}`,
        ),
        data: { orphaned, deleted: [] },
      };
    }
    if (doomed.length === 0)
      return { change: 'none', reason: `nothing to delete${goneNote}`, actions: [], data: { orphaned, deleted: [] } };
    const what = `Cinder volume(s) ${listSome(doomed.map(describeVolume), 20)}`;
    return {
      change: 'delete',
      reason: `delete ${doomed.length} of the ${orphans.length} Cinder volume(s) no PV uses (${doomed.reduce((total, volume) => total + volume.sizeGi, 0)} GiB)${goneNote}`,
      actions: [{ kind: 'exec', argv: argv(doomed.map((volume) => volume.id)) }],
      details: named(doomed),
      data: { orphaned, deleted: doomed.map((volume) => volume.id) },
      destroys: { what, cloudVolumes: true },
    };
  },
});
