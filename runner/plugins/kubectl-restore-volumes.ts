import { Type, type Static } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { namespaceName } from '../input/kube-names.js';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type ExecAction, type ProbeIO, type StepPlan } from '../plugin-contract/contract.js';
import { PlanRefusal } from '../plugin-contract/plan-error.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { kubeListItems } from './kube/kube-list.js';
import { cloudVolumeId, listSome, type ClaimObject, type VolumeObject } from './kube/namespace-volumes.js';
import { defaultRestoreSuffix, restoreFiles } from './kube/restore-files.js';
import { claimListArgv, volumeListArgv } from './kube/storage-lists.js';

const schema = Type.Object(
  {
    namespace: namespaceName('The namespace the claims come back into; it is created when missing.'),
    dir: Type.String({
      minLength: 1,
      description: 'The backup folder holding the restore files kubectl.prepare_restore wrote.',
    }),
    suffix: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._-]*$',
        default: defaultRestoreSuffix,
        description: "The restore files' suffix, as given to kubectl.prepare_restore.",
      }),
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

type Args = Static<typeof schema>;

interface RestoreFacts {
  volumesText: string | undefined;
  claimsText: string | undefined;
  liveVolumes: VolumeObject[];
  liveClaims: ClaimObject[];
  namespaceExists: boolean;
}

function items(path: string, text: string | undefined): any[] {
  return kubeListItems(
    path,
    text,
    text === undefined ? ': prepare the backup for restore first (kubectl.prepare_restore)' : '',
  );
}

const holder = (volume: VolumeObject) => `${volume.spec?.claimRef?.namespace}/${volume.spec?.claimRef?.name}`;

/** What already stands in the way of each volume going back to its own claim; empty when nothing does. */
export function restoreConflicts(
  namespace: string,
  volumes: VolumeObject[],
  claims: ClaimObject[],
  liveVolumes: VolumeObject[],
  liveClaims: ClaimObject[],
): string[] {
  const conflicts: string[] = [];
  const liveByName = new Map(liveVolumes.map((volume) => [volume.metadata.name, volume]));
  const liveByHandle = new Map(liveVolumes.map((volume) => [cloudVolumeId(volume), volume]));
  const expectedHandle = new Map(volumes.map((volume) => [volume.metadata.name, cloudVolumeId(volume)]));
  for (const volume of volumes) {
    const name = volume.metadata.name;
    const handle = cloudVolumeId(volume);
    const live = liveByName.get(name);
    const ref = volume.spec?.claimRef;
    if (live) {
      if (cloudVolumeId(live) !== handle)
        conflicts.push(
          `volume ${name} already exists and points at cloud volume ${cloudVolumeId(live)}, not ${handle}`,
        );
      else if (
        live.spec?.claimRef &&
        (live.spec.claimRef.name !== ref?.name || live.spec.claimRef.namespace !== ref?.namespace)
      )
        conflicts.push(
          `volume ${name} (cloud volume ${handle}) is held by ${holder(live)}, not ${namespace}/${ref?.name}`,
        );
      continue;
    }
    const twin = handle ? liveByHandle.get(handle) : undefined;
    if (twin)
      conflicts.push(
        `cloud volume ${handle} of ${name} is already in volume ${twin.metadata.name}${twin.spec?.claimRef ? `, held by ${holder(twin)}` : ''}`,
      );
  }
  const liveClaimByName = new Map(liveClaims.map((claim) => [claim.metadata.name, claim]));
  for (const claim of claims) {
    const name = claim.metadata.name;
    const expected = claim.spec?.volumeName;
    const live = liveClaimByName.get(name);
    if (!live || live.spec?.volumeName === expected) continue;
    const held = live.spec?.volumeName;
    const heldHandle = held ? cloudVolumeId(liveByName.get(held) ?? { metadata: { name: held } }) : undefined;
    conflicts.push(
      held
        ? `claim ${name} exists, holding volume ${held}${heldHandle ? ` (cloud volume ${heldHandle})` : ''}, not ${expected} (cloud volume ${expectedHandle.get(expected ?? '')})`
        : `claim ${name} exists (${live.status?.phase ?? 'Pending'}) and waits for a volume of its own, not ${expected} (cloud volume ${expectedHandle.get(expected ?? '')})`,
    );
  }
  return conflicts;
}

/** The restore files and what the cluster holds now. */
async function restoreFacts(args: Args, io: ProbeIO): Promise<RestoreFacts> {
  const files = restoreFiles(args.dir, args.suffix);
  const kubectl = kubectlHead.argv(args);
  const volumesText = await io.readFile(files.volumes);
  const claimsText = await io.readFile(files.claims);
  const liveVolumes = (await kubectlJson(io, volumeListArgv(kubectl)))?.items ?? [];
  const namespace = await kubectlJson(io, [
    ...kubectl,
    'get',
    'namespace',
    args.namespace,
    '--ignore-not-found',
    '--output',
    'json',
  ]);
  const liveClaims = namespace ? ((await kubectlJson(io, claimListArgv(kubectl, args.namespace)))?.items ?? []) : [];
  return { volumesText, claimsText, liveVolumes, liveClaims, namespaceExists: Boolean(namespace) };
}

/** The seed's `kubectl apply -f pv.yaml`, then the claims: only after checking that no claim or volume of the cluster stands in the way. */
export const kubectlRestoreVolumesPlugin = definePlugin({
  name: 'kubectl.restore_volumes',
  summary:
    'Apply the prepared volumes, then the claims, after checking that nothing on the cluster already holds a claim or a volume of the restore.',
  schema,
  registers: {
    volumes: 'how many volumes it restores',
    claims: 'how many claims',
  },
  heads: [kubectlHead],
  probe: restoreFacts,
  // A server started between the check and the apply made its claim first; kubectl then says only "spec is immutable".
  async explainFailure(args, io): Promise<string[]> {
    const facts = await restoreFacts(args, io);
    const files = restoreFiles(args.dir, args.suffix);
    const conflicts = restoreConflicts(
      args.namespace,
      items(files.volumes, facts.volumesText),
      items(files.claims, facts.claimsText),
      facts.liveVolumes,
      facts.liveClaims,
    );
    return conflicts.length
      ? [
          `taken on the cluster while the restore ran: ${listSome(conflicts, 20)}. Nothing of the backup is lost: stop that user's server, delete the claim made too early (see "How volumes come back" in the README), then run again with --resume`,
        ]
      : [];
  },
  plan(args, facts): StepPlan {
    const files = restoreFiles(args.dir, args.suffix);
    const kubectl = kubectlHead.argv(args);
    const applyVolumes: ExecAction = { kind: 'exec', argv: [...kubectl, 'apply', '--filename', files.volumes] };
    const createNamespace: ExecAction = {
      kind: 'exec',
      argv: [...kubectl, 'apply', '--filename', '-'],
      input: stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: args.namespace } }),
    };
    const applyClaims: ExecAction = {
      kind: 'exec',
      argv: [...kubectl, 'apply', '--namespace', args.namespace, '--filename', files.claims],
    };
    if (!facts)
      return {
        change: 'create',
        reason: `restore the volumes in ${files.volumes}, then the claims in ${files.claims} (checked against the cluster first)`,
        actions: [applyVolumes, createNamespace, applyClaims],
      };
    const volumes: VolumeObject[] = items(files.volumes, facts.volumesText);
    const claims: ClaimObject[] = items(files.claims, facts.claimsText);
    const conflicts = restoreConflicts(args.namespace, volumes, claims, facts.liveVolumes, facts.liveClaims);
    if (conflicts.length > 0) {
      throw new PlanRefusal(
        `${conflicts.length} volume(s) or claim(s) of the restore are already taken on this cluster, so nothing was applied: ${listSome(conflicts, 20)}. ` +
          'Nothing of the backup is lost: see "How volumes come back" in the README for what to do, then run again with --resume',
      );
    }
    const liveVolumeNames = new Set(facts.liveVolumes.map((volume) => volume.metadata.name));
    const liveClaimNames = new Set(facts.liveClaims.map((claim) => claim.metadata.name));
    const newVolumes = volumes.filter((volume) => !liveVolumeNames.has(volume.metadata.name));
    const newClaims = claims.filter((claim) => !liveClaimNames.has(claim.metadata.name));
    const data = { volumes: volumes.length, claims: claims.length };
    if (newVolumes.length === 0 && newClaims.length === 0 && facts.namespaceExists) {
      return {
        change: 'none',
        reason: `all ${volumes.length} volume(s) and ${claims.length} claim(s) of the restore are on the cluster, each with its own`,
        actions: [],
        data,
      };
    }
    return {
      change: 'create',
      reason: `create ${newVolumes.length} volume(s), each reserved for its claim, then ${newClaims.length} claim(s) in ${args.namespace}; nothing on the cluster holds any of them`,
      actions: [
        ...(newVolumes.length ? [applyVolumes] : []),
        ...(facts.namespaceExists ? [] : [createNamespace]),
        ...(newClaims.length ? [applyClaims] : []),
      ],
      details: [
        ...newVolumes.map(
          (volume) =>
            `volume ${volume.metadata.name} (cloud volume ${cloudVolumeId(volume)}) for claim ${volume.spec?.claimRef?.name}`,
        ),
        ...newClaims.map((claim) => `claim ${claim.metadata.name} naming volume ${claim.spec?.volumeName}`),
      ],
      data,
    };
  },
});
