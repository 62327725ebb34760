import { Type } from '@sinclair/typebox';
import { namespaceName } from '../schema/kube-names.js';
import { definePlugin, type StepPlan } from './contract.js';
import { PlanError } from './plan-error.js';
import { connectionArgs, connectionFromVars, kubectlConnection } from './kube/connection.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { parseKubeList } from './kube/kube-list.js';
import { cloudVolumeId, listSome, type ClaimObject, type VolumeObject } from './kube/namespace-volumes.js';

const schema = Type.Object(
  {
    namespace: namespaceName('The namespace the claims were restored into.'),
    claims_file: Type.String({ minLength: 1, description: 'The claims that were restored (a kubectl list in JSON or YAML, such as pvc-restore.json); each names its volume in spec.volumeName.' }),
    volumes_file: Type.Optional(Type.String({ minLength: 1, description: 'The volumes that were restored; each live volume must still point at the same Cinder volume.' })),
    ignore: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Claims in the file not to check, such as hub-db-dir, which the chart recreates with a new volume.' })),
    timeout: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Seconds to wait for claims still Pending (default 120).' })),
    interval: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Seconds between checks (default 2).' })),
    binary: Type.Optional(Type.String({ minLength: 1, description: 'The kubectl program (default: the `kubectl_binary` variable, else kubectl).' })),
    ...connectionArgs,
  },
  { additionalProperties: false },
);

interface VerifyFacts {
  expectedClaims: string | undefined;
  expectedVolumes: string | undefined;
  claims: ClaimObject[];
  volumes: VolumeObject[];
}

function items(path: string, text: string | undefined): any[] {
  if (text === undefined) throw new PlanError(`${path} does not exist: there is nothing to verify against`);
  let document: any;
  try {
    document = parseKubeList(text);
  } catch (error) {
    throw new PlanError(`${path} is not valid JSON or YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!document || !Array.isArray(document.items)) throw new PlanError(`${path} is not a kubectl list (no items)`);
  return document.items;
}

/** Checks, after a restore, that every claim came back Bound to the volume it had, and that volume to its Cinder volume. */
export const kubectlVerifyVolumesPlugin = definePlugin({
  name: 'kubectl.verify_volumes',
  summary: 'Wait until every restored claim is Bound to its original volume (and that volume to its original cloud volume); fail on any other binding.',
  schema,
  varDefaults: { kubectl_binary: 'kubectl' },
  argsFromVars: { binary: 'kubectl_binary', ...connectionFromVars },
  async probe(args, io): Promise<VerifyFacts> {
    const kubectl = [args.binary ?? 'kubectl', ...kubectlConnection(args)];
    const claims = (await kubectlJson(io, [...kubectl, 'get', 'persistentvolumeclaims', '--namespace', args.namespace, '--output', 'json']))?.items ?? [];
    const volumes = args.volumes_file ? ((await kubectlJson(io, [...kubectl, 'get', 'persistentvolumes', '--output', 'json']))?.items ?? []) : [];
    return { expectedClaims: await io.readFile(args.claims_file), expectedVolumes: args.volumes_file ? await io.readFile(args.volumes_file) : undefined, claims, volumes };
  },
  plan(args, facts): StepPlan {
    const poll = { waitingFor: `every claim in ${args.claims_file} to be Bound`, intervalSeconds: args.interval ?? 2, timeoutSeconds: args.timeout ?? 120 };
    if (!facts) return { change: 'run', reason: `check every claim in ${args.claims_file} is Bound to its original volume`, actions: [], poll };
    const ignored = new Set(args.ignore ?? []);
    const expected: ClaimObject[] = items(args.claims_file, facts.expectedClaims).filter((claim: ClaimObject) => !ignored.has(claim.metadata.name));
    const live = new Map(facts.claims.map((claim) => [claim.metadata.name, claim]));
    const liveVolumes = new Map(facts.volumes.map((volume) => [volume.metadata.name, volume]));
    const originalIds = new Map(args.volumes_file ? items(args.volumes_file, facts.expectedVolumes).map((volume: VolumeObject) => [volume.metadata.name, cloudVolumeId(volume)]) : []);
    const waiting: string[] = [];
    const wrong: string[] = [];
    for (const claim of expected) {
      const name = claim.metadata.name;
      const current = live.get(name);
      const volumeName = claim.spec?.volumeName;
      if (!current || current.status?.phase !== 'Bound') waiting.push(`${name} (${current?.status?.phase ?? 'missing'})`);
      else if (volumeName && current.spec?.volumeName !== volumeName) wrong.push(`${name} is bound to ${current.spec?.volumeName}, not ${volumeName}`);
      else if (volumeName && originalIds.has(volumeName) && cloudVolumeId(liveVolumes.get(volumeName) ?? { metadata: { name: volumeName } }) !== originalIds.get(volumeName)) {
        wrong.push(`${name}'s volume ${volumeName} no longer points at cloud volume ${originalIds.get(volumeName)}`);
      }
    }
    if (wrong.length) throw new PlanError(`${wrong.length} restored claim(s) did not get their original volume: ${listSome(wrong)}`);
    if (waiting.length) return { change: 'run', reason: `not yet: ${expected.length - waiting.length} of ${expected.length} claim(s) Bound; waiting for ${listSome(waiting, 5)}`, actions: [], poll };
    return { change: 'none', reason: `all ${expected.length} claim(s) of ${args.namespace} are Bound to their original volumes`, actions: [], data: { claims: expected.length } };
  },
});
