import { basename, join } from 'node:path';
import { namespaceName } from '../input/kube-names.js';
import { Type } from '@sinclair/typebox';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { kubeListItems, kubeListText, readBackupFile, type BackupText } from './kube/kube-list.js';
import { backupDigest } from './kube/backup-digest.js';
import {
  cloudVolumeId,
  listSome,
  uncoveredClaims,
  volumesOfNamespace,
  type ClaimObject,
  type VolumeObject,
} from './kube/namespace-volumes.js';
import { unreachableCluster } from './kube/unreachable-cluster.js';
import { claimListArgv, volumeListArgv } from './kube/storage-lists.js';

const schema = Type.Object(
  {
    namespace: namespaceName('The JupyterHub namespace whose claims, and the volumes bound to them, are saved.'),
    dir: Type.String({
      minLength: 1,
      description:
        "A new folder for the backup: pvc.json and pv.json (kubectl lists) are written there and never overwritten. A folder that already holds a backup (pvc.json and pv.json, or the seed's hand-taken pvc.yaml and pv.yaml) is kept, after it is checked against the cluster.",
    }),
    allow_empty: Type.Optional(
      Type.Boolean({
        description:
          'Accept a namespace without claims (default false: that usually means the wrong cluster or namespace).',
      }),
    ),
    restore_follows: Type.Optional(
      Type.Boolean({
        description:
          'This backup will be restored on a new cluster: from now until kubectl.verify_volumes has checked the restored claims, installing JupyterHub into the namespace is refused (default false).',
      }),
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

interface BackupFacts {
  claims: ClaimObject[];
  volumes: VolumeObject[];
  savedClaims: BackupText | undefined;
  savedVolumes: BackupText | undefined;
  /** Set when a saved backup exists and the cluster cannot be reached to compare it with (destroyed, or not yet rebuilt). */
  unreachable?: string;
}

/** The items of a saved `kind: List`, or a PlanError naming the file. */
function readList(path: string, text: string): any[] {
  return kubeListItems(path, text, '; move it aside before backing up again');
}

/** What the backup holds, for later steps: counts and names. */
function summary(
  dir: string,
  namespace: string,
  claims: ClaimObject[],
  volumes: VolumeObject[],
): Record<string, unknown> {
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
  if (missing.length)
    throw new PlanError(`the backup in ${dir} would not cover ${missing.length} bound claim(s): ${listSome(missing)}`);
}

/** A kept backup must hold every claim Bound in the cluster now, with the volume it has now: one taken before a user arrived would lose theirs. */
function compareWithCluster(dir: string, saved: ClaimObject[], live: ClaimObject[]): string {
  const savedPairs = new Set(saved.map((claim) => `${claim.metadata.name}\u0000${claim.spec?.volumeName ?? ''}`));
  const missing = live.filter(
    (claim) =>
      claim.status?.phase === 'Bound' && !savedPairs.has(`${claim.metadata.name}\u0000${claim.spec?.volumeName ?? ''}`),
  );
  if (missing.length > 0) {
    throw new PlanRefusal(
      `the backup in ${dir} was taken before ${missing.length} claim(s) now Bound in the cluster: ${listSome(missing.map((claim) => `${claim.metadata.name} (volume ${claim.spec?.volumeName})`))}; ` +
        'restoring it would lose their volumes. Take a new backup (a new run_id), or move this folder aside',
    );
  }
  const liveNames = new Set(live.map((claim) => claim.metadata.name));
  const gone = saved.filter((claim) => !liveNames.has(claim.metadata.name));
  return gone.length
    ? `; ${gone.length} of its claim(s) are no longer in the cluster (${listSome(
        gone.map((claim) => claim.metadata.name),
        5,
      )})`
    : '';
}

/**
 * A run killed between the backup's two writes leaves one file. It is completed only when that file
 * holds exactly what the cluster holds now; anything else is refused rather than mixed.
 */
function completeHalf(
  dir: string,
  facts: BackupFacts,
  claimsText: string,
  volumesText: string,
): { kept: 'pvc.json' | 'pv.json' } | undefined {
  const saved = facts.savedClaims ?? facts.savedVolumes;
  if (saved === undefined) return undefined;
  const kept = facts.savedClaims !== undefined ? 'pvc.json' : 'pv.json';
  const same = saved.path === join(dir, kept) && saved.text === (kept === 'pvc.json' ? claimsText : volumesText);
  if (!same)
    throw new PlanError(
      `${dir} holds only half a backup (${basename(saved.path)}), and it differs from the cluster now; move the folder aside or name a new one`,
    );
  return { kept };
}

/**
 * On a new cluster only this namespace's claims come back: the others' volumes stay in the cloud, bound
 * to nothing, until their namespace is backed up before and restored after, as rebuild-cluster does for this one.
 */
function otherNamespacesGuidance(others: VolumeObject[]): string[] {
  const counts = new Map<string, number>();
  for (const volume of others) {
    const owner = volume.spec?.claimRef?.namespace;
    if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  if (counts.size === 0) return [];
  const listed = [...counts].map(([name, count]) => `${name} (${count})`).join(', ');
  const [first] = counts.keys();
  return [
    `claims of other namespaces, ${listed}, are not in this backup: on the new cluster they will not exist, their volumes kept in the cloud. To bring a namespace back, back it up before the rebuild (rebuild-cluster.yml --tags backup -e namespace=${first}) and restore it after (rebuild-cluster.yml --tags restore -e namespace=${first} -e backup_dir=<that backup's folder>)`,
  ];
}

/** The seed's `kubectl get pvc -n jhub -o yaml` and `kubectl get pv -o yaml`, saved locally (as JSON), verified, and never replaced. */
export const kubectlBackupVolumesPlugin = definePlugin({
  name: 'kubectl.backup_volumes',
  summary:
    "Save a namespace's claims and their volumes to a new folder, verify every bound claim is covered, never overwrite a backup.",
  schema,
  reads: ['cluster', 'files'],
  changes: ['files'],
  registers: {
    dir: 'the backup folder',
    namespace: 'the namespace backed up',
    claims: 'how many claims the backup holds',
    bound_claims: 'how many of them were Bound',
    volumes: 'how many volumes it holds',
    volume_names: "the volumes' names",
    verified: "true: every bound claim's volume is in the backup",
  },
  heads: [kubectlHead],
  effects: (args) => (args.restore_follows ? { restore: { namespace: args.namespace, state: 'pending' } } : {}),
  async probe(args, io): Promise<BackupFacts> {
    const kubectl = kubectlHead.argv(args);
    const savedClaims = await readBackupFile((path) => io.readFile(path), args.dir, 'pvc');
    const savedVolumes = await readBackupFile((path) => io.readFile(path), args.dir, 'pv');
    const complete = savedClaims !== undefined && savedVolumes !== undefined;
    const listed = await io.run(claimListArgv(kubectl, args.namespace));
    if (listed.exitCode !== 0) {
      // A backup already taken is the source of truth when the cluster is gone by now.
      const unreachable = complete ? unreachableCluster(listed.stderr) : undefined;
      if (unreachable) return { claims: [], volumes: [], savedClaims, savedVolumes, unreachable };
      throw new PlanError(`kubectl get failed: ${(listed.stderr || listed.stdout).trim()}`);
    }
    const claims = (JSON.parse(listed.stdout || '{}') as { items?: ClaimObject[] }).items ?? [];
    if (complete) return { claims, volumes: [], savedClaims, savedVolumes };
    const volumes = (await kubectlJson(io, volumeListArgv(kubectl)))?.items ?? [];
    return { claims, volumes, savedClaims, savedVolumes };
  },
  plan(args, facts): StepPlan {
    const claimsPath = join(args.dir, 'pvc.json');
    const volumesPath = join(args.dir, 'pv.json');
    // The files as they are or will be, with their digests: a later destruction checks they still read back the same.
    const marks = (files: BackupText[]): Pick<StepPlan, 'protects' | 'restore'> => ({
      protects: {
        dir: args.dir,
        namespace: args.namespace,
        files: files.map((file) => ({ path: file.path, sha256: backupDigest(file.text) })),
      },
      ...(args.restore_follows
        ? { restore: { namespace: args.namespace, state: 'pending' as const, backupDir: args.dir } }
        : {}),
    });
    if (!facts)
      return {
        change: 'create',
        reason: `back up the claims of ${args.namespace} and their volumes to ${args.dir} (known at run time)`,
        actions: [],
      };
    if (facts.savedClaims !== undefined && facts.savedVolumes !== undefined) {
      const claims = readList(facts.savedClaims.path, facts.savedClaims.text).filter(
        (claim: ClaimObject) => claim.metadata?.namespace === undefined || claim.metadata.namespace === args.namespace,
      );
      const volumes = volumesOfNamespace(readList(facts.savedVolumes.path, facts.savedVolumes.text), args.namespace);
      verify(args.dir, claims, volumes);
      const compared = facts.unreachable
        ? `; the cluster cannot be reached (${facts.unreachable}), so it was not compared with it`
        : `, and it holds every claim Bound in the cluster now${compareWithCluster(args.dir, claims, facts.claims)}`;
      return {
        change: 'none',
        reason: `${args.dir} already holds a backup of ${claims.length} claim(s) and ${volumes.length} volume(s); kept as it is${compared}`,
        actions: [],
        data: summary(args.dir, args.namespace, claims, volumes),
        ...marks([facts.savedClaims, facts.savedVolumes]),
      };
    }
    const volumes = volumesOfNamespace(facts.volumes, args.namespace);
    if (facts.claims.length === 0 && !args.allow_empty) {
      throw new PlanError(
        `namespace ${args.namespace} has no PersistentVolumeClaims, so there is nothing to back up: is this the right cluster and namespace? (allow_empty: true goes on anyway)`,
      );
    }
    verify(args.dir, facts.claims, volumes);
    const claimsText = kubeListText(facts.claims);
    const volumesText = kubeListText(volumes);
    // What is written must read back as the same backup.
    verify(args.dir, readList(claimsPath, claimsText), readList(volumesPath, volumesText));
    const half = completeHalf(args.dir, facts, claimsText, volumesText);
    const others = facts.volumes.filter((volume) => volume.spec?.claimRef?.namespace !== args.namespace);
    return {
      change: 'create',
      reason: `${half ? `complete the backup in ${args.dir} (an interrupted run wrote only ${half.kept})` : `back up ${facts.claims.length} claim(s) of ${args.namespace} and their ${volumes.length} volume(s) to ${args.dir}`}`,
      actions: [
        ...(half?.kept === 'pvc.json'
          ? []
          : [{ kind: 'write' as const, path: claimsPath, content: claimsText, noClobber: true }]),
        ...(half?.kept === 'pv.json'
          ? []
          : [{ kind: 'write' as const, path: volumesPath, content: volumesText, noClobber: true }]),
      ],
      data: summary(args.dir, args.namespace, facts.claims, volumes),
      details: [
        ...others.map(
          (volume) =>
            `left out: ${volume.metadata.name} (cloud volume ${cloudVolumeId(volume) ?? 'unknown'}): ${volume.spec?.claimRef ? `${volume.spec.claimRef.namespace}/${volume.spec.claimRef.name}, another namespace` : 'bound to no claim'}; not touched`,
        ),
        ...(args.restore_follows ? otherNamespacesGuidance(others) : []),
      ],
      ...marks([
        { path: claimsPath, text: claimsText },
        { path: volumesPath, text: volumesText },
      ]),
    };
  },
});
