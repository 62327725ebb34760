import { join } from 'node:path';
import { namespaceName } from '../schema/kube-names.js';
import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from './contract.js';
import { PlanError } from './plan-error.js';
import { connectionArgs, connectionFromVars, kubectlConnection } from './kube/connection.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { kubeListText, parseKubeList } from './kube/kube-list.js';
import { listSome, uncoveredClaims, volumesOfNamespace, type ClaimObject, type VolumeObject } from './kube/namespace-volumes.js';

const schema = Type.Object(
  {
    namespace: namespaceName('The JupyterHub namespace whose claims, and the volumes bound to them, are saved.'),
    dir: Type.String({ minLength: 1, description: 'A new folder for the backup: pvc.json and pv.json (kubectl lists) are written there and never overwritten.' }),
    allow_empty: Type.Optional(Type.Boolean({ description: 'Accept a namespace without claims (default false: that usually means the wrong cluster or namespace).' })),
    binary: Type.Optional(Type.String({ minLength: 1, description: 'The kubectl program (default: the `kubectl_binary` variable, else kubectl).' })),
    ...connectionArgs,
  },
  { additionalProperties: false },
);

interface BackupFacts {
  claims: ClaimObject[];
  volumes: VolumeObject[];
  savedClaims: string | undefined;
  savedVolumes: string | undefined;
}

/** The items of a saved `kind: List`, or a PlanError naming the file. */
function readList(path: string, text: string): any[] {
  let document: any;
  try {
    document = parseKubeList(text);
  } catch (error) {
    throw new PlanError(`${path} is not valid JSON or YAML (${(error as Error).message.split('\n')[0]}); move it aside before backing up again`);
  }
  if (!document || !Array.isArray(document.items)) throw new PlanError(`${path} is not a kubectl list (no items); move it aside before backing up again`);
  return document.items;
}

/** What the backup holds, for later steps: counts and names. */
function summary(dir: string, namespace: string, claims: ClaimObject[], volumes: VolumeObject[]): Record<string, unknown> {
  return {
    dir,
    namespace,
    claims: claims.length,
    bound_claims: claims.filter((claim) => claim.status?.phase === 'Bound').length,
    volumes: volumes.length,
    volume_names: volumes.map((volume) => volume.metadata.name),
    verified: true,
  };
}

/** Refuses a backup that would not let every bound claim come back. */
function verify(dir: string, claims: ClaimObject[], volumes: VolumeObject[]): void {
  const missing = uncoveredClaims(claims, volumes);
  if (missing.length) throw new PlanError(`the backup in ${dir} would not cover ${missing.length} bound claim(s): ${listSome(missing)}`);
}

/**
 * A run killed between the backup's two writes leaves one file. It is completed only when that file
 * holds exactly what the cluster holds now; anything else is refused rather than mixed.
 */
function completeHalf(dir: string, facts: BackupFacts, claimsText: string, volumesText: string): { kept: 'pvc.json' | 'pv.json' } | undefined {
  if (facts.savedClaims === undefined && facts.savedVolumes === undefined) return undefined;
  const kept = facts.savedClaims !== undefined ? 'pvc.json' : 'pv.json';
  const same = kept === 'pvc.json' ? facts.savedClaims === claimsText : facts.savedVolumes === volumesText;
  if (!same) throw new PlanError(`${dir} holds only half a backup (${kept}), and it differs from the cluster now; move the folder aside or name a new one`);
  return { kept };
}

/** The seed's `kubectl get pvc -n jhub -o yaml` and `kubectl get pv -o yaml`, saved locally (as JSON), verified, and never replaced. */
export const kubectlBackupVolumesPlugin = definePlugin({
  name: 'kubectl.backup_volumes',
  summary: "Save a namespace's claims and their volumes to a new folder, verify every bound claim is covered, never overwrite a backup.",
  schema,
  varDefaults: { kubectl_binary: 'kubectl' },
  argsFromVars: { binary: 'kubectl_binary', ...connectionFromVars },
  async probe(args, io): Promise<BackupFacts> {
    const kubectl = [args.binary ?? 'kubectl', ...kubectlConnection(args)];
    const savedClaims = await io.readFile(join(args.dir, 'pvc.json'));
    const savedVolumes = await io.readFile(join(args.dir, 'pv.json'));
    // A backup already taken is the source of truth; the cluster may be gone by now.
    if (savedClaims !== undefined && savedVolumes !== undefined) return { claims: [], volumes: [], savedClaims, savedVolumes };
    const claims = (await kubectlJson(io, [...kubectl, 'get', 'persistentvolumeclaims', '--namespace', args.namespace, '--output', 'json']))?.items ?? [];
    const volumes = (await kubectlJson(io, [...kubectl, 'get', 'persistentvolumes', '--output', 'json']))?.items ?? [];
    return { claims, volumes, savedClaims, savedVolumes };
  },
  plan(args, facts): StepPlan {
    const claimsPath = join(args.dir, 'pvc.json');
    const volumesPath = join(args.dir, 'pv.json');
    if (!facts) return { change: 'create', reason: `back up the claims of ${args.namespace} and their volumes to ${args.dir} (known at run time)`, actions: [] };
    if (facts.savedClaims !== undefined && facts.savedVolumes !== undefined) {
      const claims = readList(claimsPath, facts.savedClaims);
      const volumes = readList(volumesPath, facts.savedVolumes);
      verify(args.dir, claims, volumes);
      return { change: 'none', reason: `${args.dir} already holds a backup of ${claims.length} claim(s) and ${volumes.length} volume(s); kept as it is`, actions: [], data: summary(args.dir, args.namespace, claims, volumes) };
    }
    const volumes = volumesOfNamespace(facts.volumes, args.namespace);
    if (facts.claims.length === 0 && !args.allow_empty) {
      throw new PlanError(`namespace ${args.namespace} has no PersistentVolumeClaims, so there is nothing to back up: is this the right cluster and namespace? (allow_empty: true goes on anyway)`);
    }
    verify(args.dir, facts.claims, volumes);
    const claimsText = kubeListText(facts.claims);
    const volumesText = kubeListText(volumes);
    // What is written must read back as the same backup.
    verify(args.dir, readList(claimsPath, claimsText), readList(volumesPath, volumesText));
    const half = completeHalf(args.dir, facts, claimsText, volumesText);
    return {
      change: 'create',
      reason: `${half ? `complete the backup in ${args.dir} (an interrupted run wrote only ${half.kept})` : `back up ${facts.claims.length} claim(s) of ${args.namespace} and their ${volumes.length} volume(s) to ${args.dir}`}`,
      actions: [
        ...(half?.kept === 'pvc.json' ? [] : [{ kind: 'write' as const, path: claimsPath, content: claimsText, noClobber: true }]),
        ...(half?.kept === 'pv.json' ? [] : [{ kind: 'write' as const, path: volumesPath, content: volumesText, noClobber: true }]),
      ],
      data: summary(args.dir, args.namespace, facts.claims, volumes),
    };
  },
});
