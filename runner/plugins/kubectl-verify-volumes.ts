import { Type } from '@sinclair/typebox';
import { namespaceName } from '../input/kube-names.js';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { kubeListItems, readBackupFile, type BackupText } from './kube/kube-list.js';
import {
  describeLeftBehind,
  describeReleased,
  leftBehindVolumes,
  releasedVolumes,
} from './kube/left-behind-volumes.js';
import { cloudVolumeId, listSome, type ClaimObject, type VolumeObject } from './kube/namespace-volumes.js';
import { claimListArgv, volumeListArgv } from './kube/storage-lists.js';

/** What an omitted argument is: the schema's defaults, which the validator fills in, and the plan's fallbacks. */
const defaults = { timeout: 120, interval: 2, allow_empty: false } as const;

const schema = Type.Object(
  {
    namespace: namespaceName('The namespace the claims were restored into.'),
    claims_file: Type.String({
      minLength: 1,
      description:
        'The claims that must be Bound to their volumes (a kubectl list in JSON or YAML, such as pvc-restore.json); each names its volume in spec.volumeName.',
    }),
    volumes_file: Type.String({
      minLength: 1,
      description:
        'The volumes those claims must hold: each live volume must still point at the same cloud volume, and be held by its own claim and by no other.',
    }),
    ignore: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          'Claims in the files not to check, such as hub-db-dir, which the chart recreates with a new volume.',
      }),
    ),
    left_behind_from: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "The backup folder taken before the rebuild or reinstall (its pv.json, or the seed's pv.yaml): each of its volumes whose cloud volume no PV uses now, or that is Released now with its claim gone (the old hub database's), is named, with how to remove it.",
      }),
    ),
    allow_empty: Type.Optional(
      Type.Boolean({
        default: defaults.allow_empty,
        description:
          'Files with no claim of the namespace to check are refused: a restore that brought back nobody is not verified. True for a namespace that has no users yet.',
      }),
    ),
    timeout: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        default: defaults.timeout,
        description: 'Seconds to wait for claims still Pending.',
      }),
    ),
    interval: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, default: defaults.interval, description: 'Seconds between checks.' }),
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

interface VerifyFacts {
  expectedClaims: string | undefined;
  expectedVolumes: string | undefined;
  claims: ClaimObject[];
  volumes: VolumeObject[];
  /** The backup's volumes, where the folder holds them; the report is left out otherwise, never the check. */
  volumesBefore?: BackupText | undefined;
}

function items(path: string, text: string | undefined): any[] {
  return kubeListItems(path, text, text === undefined ? ': there is nothing to verify against' : '');
}

interface Verified {
  claim: string;
  uid: string | undefined;
  volume: string;
  cloud_volume: string | undefined;
}

interface Findings {
  wrong: string[];
  waiting: string[];
  verified: Verified[];
}

const holderOf = (volume: VolumeObject | undefined) =>
  volume?.spec?.claimRef ? `${volume.spec.claimRef.namespace}/${volume.spec.claimRef.name}` : undefined;

/** From the volumes' side: each is still the same cloud volume, and held by the claim it was restored for, or by nobody yet. */
function checkVolumes(
  namespace: string,
  expected: VolumeObject[],
  live: Map<string, VolumeObject>,
  findings: Findings,
): void {
  for (const volume of expected) {
    const name = volume.metadata.name;
    const now = live.get(name);
    const handle = cloudVolumeId(volume);
    const owner = `${namespace}/${volume.spec?.claimRef?.name}`;
    if (!now)
      findings.wrong.push(`volume ${name} (cloud volume ${handle}), restored for ${owner}, is gone from the cluster`);
    else if (cloudVolumeId(now) !== handle)
      findings.wrong.push(`volume ${name} points at cloud volume ${cloudVolumeId(now)}, not ${handle}`);
    else if (holderOf(now) !== undefined && holderOf(now) !== owner)
      findings.wrong.push(
        `volume ${name} (cloud volume ${handle}), restored for ${owner}, is held by ${holderOf(now)}`,
      );
  }
}

/**
 * By what the data is: any other PV, whatever its name, that points at a restored user's cloud volume
 * and is held by another claim would let that claim mount the user's files.
 */
function checkHandles(namespace: string, expected: VolumeObject[], live: VolumeObject[], findings: Findings): void {
  const restored = new Map(
    expected.flatMap((volume) => {
      const handle = cloudVolumeId(volume);
      return handle ? [[handle, volume] as const] : [];
    }),
  );
  for (const other of live) {
    const handle = cloudVolumeId(other);
    const mine = handle === undefined ? undefined : restored.get(handle);
    if (!mine || other.metadata.name === mine.metadata.name) continue;
    const owner = `${namespace}/${mine.spec?.claimRef?.name}`;
    const holder = holderOf(other);
    if (holder !== undefined && holder !== owner)
      findings.wrong.push(
        `volume ${other.metadata.name} also points at cloud volume ${handle}, restored for ${owner} in volume ${mine.metadata.name}, and is held by ${holder}`,
      );
  }
}

/** From the claims' side: each is Bound to its volume, and that volume records this very claim (its uid). */
function checkClaims(
  expected: ClaimObject[],
  liveClaims: Map<string, ClaimObject>,
  liveVolumes: Map<string, VolumeObject>,
  handles: Map<string, string | undefined>,
  findings: Findings,
): void {
  for (const claim of expected) {
    const name = claim.metadata.name;
    const volumeName = claim.spec?.volumeName ?? '';
    const current = liveClaims.get(name);
    const volume = liveVolumes.get(volumeName);
    if (!current) {
      findings.waiting.push(`${name} (missing)`);
      continue;
    }
    if (current.spec?.volumeName && current.spec.volumeName !== volumeName) {
      const held = liveVolumes.get(current.spec.volumeName);
      findings.wrong.push(
        `claim ${name} holds volume ${current.spec.volumeName} (cloud volume ${held ? cloudVolumeId(held) : 'unknown'}), not ${volumeName} (cloud volume ${handles.get(volumeName)})`,
      );
      continue;
    }
    const recorded = volume?.spec?.claimRef;
    if (recorded?.uid && recorded.name === name && recorded.uid !== current.metadata.uid) {
      findings.wrong.push(
        `volume ${volumeName} records claim ${name} with uid ${recorded.uid}, but the claim now has uid ${current.metadata.uid}`,
      );
      continue;
    }
    if (current.status?.phase !== 'Bound') {
      findings.waiting.push(`${name} (${current.status?.phase ?? 'Pending'})`);
      continue;
    }
    if (!volume) {
      findings.wrong.push(`claim ${name} is Bound to volume ${volumeName}, which is not on the cluster`);
      continue;
    }
    if (!recorded?.uid) {
      findings.waiting.push(`${name} (binding)`);
      continue;
    }
    if (recorded.uid !== current.metadata.uid) {
      findings.wrong.push(
        `claim ${name} is Bound to volume ${volumeName}, but that volume records ${holderOf(volume)} (uid ${recorded.uid})`,
      );
      continue;
    }
    if (handles.has(volumeName) && cloudVolumeId(volume) !== handles.get(volumeName)) {
      findings.wrong.push(
        `volume ${volumeName} points at cloud volume ${cloudVolumeId(volume)}, not ${handles.get(volumeName)}`,
      );
      continue;
    }
    findings.verified.push({
      claim: name,
      uid: current.metadata.uid,
      volume: volumeName,
      cloud_volume: cloudVolumeId(volume),
    });
  }
}

/** Checks, after a restore, that every claim came back Bound to the volume it had, that volume to its cloud volume and to no other claim. */
export const kubectlVerifyVolumesPlugin = definePlugin({
  name: 'kubectl.verify_volumes',
  summary:
    'Wait until every restored claim is Bound to its original volume, and each restored volume is held by its own claim and no other; fail at once on any other binding.',
  schema,
  registers: {
    claims: 'the claims checked, each bound to its own volume',
    verified: 'true once every claim is',
  },
  heads: [kubectlHead],
  effects: (args) => ({ restore: { namespace: args.namespace, state: 'verified' } }),
  async probe(args, io): Promise<VerifyFacts> {
    const kubectl = kubectlHead.argv(args);
    const claims = (await kubectlJson(io, claimListArgv(kubectl, args.namespace)))?.items ?? [];
    const volumes = (await kubectlJson(io, volumeListArgv(kubectl)))?.items ?? [];
    const volumesBefore =
      args.left_behind_from === undefined
        ? undefined
        : await readBackupFile((path) => io.readFile(path), args.left_behind_from, 'pv');
    return {
      expectedClaims: await io.readFile(args.claims_file),
      expectedVolumes: await io.readFile(args.volumes_file),
      claims,
      volumes,
      volumesBefore,
    };
  },
  plan(args, facts): StepPlan {
    const poll = {
      waitingFor: `every claim in ${args.claims_file} to be Bound to its volume`,
      intervalSeconds: args.interval ?? defaults.interval,
      timeoutSeconds: args.timeout ?? defaults.timeout,
    };
    if (!facts)
      return {
        change: 'run',
        reason: `check every claim in ${args.claims_file} is Bound to its original volume, and no other claim holds one`,
        actions: [],
        poll,
      };
    const ignored = new Set(args.ignore ?? []);
    const ofNamespace = (namespace: string | undefined) => namespace === undefined || namespace === args.namespace;
    const expectedClaims: ClaimObject[] = items(args.claims_file, facts.expectedClaims).filter(
      (claim: ClaimObject) => ofNamespace(claim.metadata.namespace) && !ignored.has(claim.metadata.name),
    );
    const expectedVolumes: VolumeObject[] = items(args.volumes_file, facts.expectedVolumes).filter(
      (volume: VolumeObject) =>
        volume.spec?.claimRef?.namespace === args.namespace && !ignored.has(volume.spec.claimRef.name ?? ''),
    );
    if (expectedClaims.length === 0 && !(args.allow_empty ?? defaults.allow_empty))
      throw new PlanRefusal(
        `${args.claims_file} holds no claim of ${args.namespace} to check${ignored.size ? ` (besides ${[...ignored].join(', ')})` : ''}: a restore that brought back nobody is not verified; allow_empty: true for a namespace that has no users yet`,
      );
    const liveVolumes = new Map(facts.volumes.map((volume) => [volume.metadata.name, volume]));
    const findings: Findings = { wrong: [], waiting: [], verified: [] };
    checkVolumes(args.namespace, expectedVolumes, liveVolumes, findings);
    checkHandles(args.namespace, expectedVolumes, facts.volumes, findings);
    const handles = new Map(expectedVolumes.map((volume) => [volume.metadata.name, cloudVolumeId(volume)]));
    checkClaims(
      expectedClaims,
      new Map(facts.claims.map((claim) => [claim.metadata.name, claim])),
      liveVolumes,
      handles,
      findings,
    );
    const wrong = [...new Set(findings.wrong)];
    if (wrong.length)
      throw new PlanError(
        `${wrong.length} restored claim(s) or volume(s) are not with their owner: ${listSome(wrong)}`,
      );
    if (findings.waiting.length)
      return {
        change: 'run',
        reason: `not yet: ${expectedClaims.length - findings.waiting.length} of ${expectedClaims.length} claim(s) Bound; waiting for ${listSome(findings.waiting, 5)}`,
        actions: [],
        poll,
      };
    const unreserved = expectedVolumes.length - expectedClaims.length;
    const before = facts.volumesBefore === undefined ? [] : items(facts.volumesBefore.path, facts.volumesBefore.text);
    const leftBehind = leftBehindVolumes(before, facts.volumes);
    const released = releasedVolumes(before, facts.volumes);
    const details = [...describeLeftBehind(leftBehind), ...describeReleased(released)];
    return {
      change: 'none',
      reason: `all ${expectedClaims.length} claim(s) of ${args.namespace} are Bound to their original volumes, and each of the ${expectedVolumes.length} volume(s) is held by its own claim and no other${unreserved > 0 ? ` (${unreserved} kept for claims not made yet)` : ''}${leftBehind.length ? `; ${leftBehind.length} Cinder volume(s) of the old cluster have no PV now` : ''}${released.length ? `; ${released.length} volume(s) Released, their claim gone` : ''}`,
      actions: [],
      ...(details.length ? { details } : {}),
      data: { claims: findings.verified, verified: true },
      restore: { namespace: args.namespace, state: 'verified' },
    };
  },
});
