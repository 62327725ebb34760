import { Type } from '@sinclair/typebox';
import { namespaceName } from '../input/kube-names.js';
import { definePlugin, type StepPlan, type WriteAction } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { kubeListItems, kubeListText, readBackupFile, type BackupText } from './kube/kube-list.js';
import { describeRestore, planRestore } from './kube/restore-plan.js';
import { defaultRestoreSuffix, restoreFiles } from './kube/restore-files.js';

/** What an omitted argument is: the schema's defaults, which the validator fills in, and the plan's fallbacks. */
const defaults = { skip: ['hub-db-dir'], released: 'restore', allow_empty: false } as const;

const schema = Type.Object(
  {
    dir: Type.String({
      minLength: 1,
      description:
        "The backup folder: pvc.json and pv.json as kubectl.backup_volumes writes them, or the seed's hand-taken pvc.yaml and pv.yaml.",
    }),
    namespace: namespaceName(
      'The namespace whose claims and volumes come back; volumes of other namespaces are left out.',
    ),
    suffix: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._-]*$',
        default: defaultRestoreSuffix,
        description: 'Names the restore files: pv<suffix>.json and pvc<suffix>.json.',
      }),
    ),
    skip: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        default: defaults.skip,
        description: 'Claims left out, with their volumes (by default hub-db-dir: the chart makes a new one).',
      }),
    ),
    released: Type.Optional(
      Type.Union([Type.Literal('restore'), Type.Literal('skip')], {
        description:
          "Volumes whose claim the backup does not hold (a deleted user's, Released): restore pre-bound to that claim's name, so only a returning user gets them, or skip.",
        default: defaults.released,
      }),
    ),
    allow_empty: Type.Optional(
      Type.Boolean({
        default: defaults.allow_empty,
        description:
          'A backup with no volume of the namespace to restore is refused: it is usually the wrong folder. True for a namespace that has no users yet.',
      }),
    ),
  },
  { additionalProperties: false },
);

interface PrepareFacts {
  claims: BackupText | undefined;
  volumes: BackupText | undefined;
  written: (string | undefined)[];
}

function items(file: BackupText | undefined, dir: string, kind: string): Record<string, any>[] {
  if (!file) throw new PlanError(`${dir} holds no ${kind}.json or ${kind}.yaml: there is no backup to prepare`);
  return kubeListItems(file.path, file.text);
}

/** The seed's hand edits of pv.yaml and pvc.yaml, done so that every volume can bind only its own claim on the new cluster. */
export const kubectlPrepareRestorePlugin = definePlugin({
  name: 'kubectl.prepare_restore',
  summary:
    "Turn a backup of a namespace's claims and volumes into restore files where each volume is reserved for its own claim; writes a restore report.",
  schema,
  reads: ['files'],
  changes: ['files'],
  registers: {
    volumes: 'the volumes restore file',
    claims: 'the claims restore file',
    report: 'the restore report',
    restored: 'how many volumes come back',
    released: 'the claims whose Released volumes come back pre-bound',
    left_out: 'how many volumes are left out (see the report)',
  },
  async probe(args, io): Promise<PrepareFacts> {
    const files = restoreFiles(args.dir, args.suffix);
    return {
      claims: await readBackupFile((path) => io.readFile(path), args.dir, 'pvc'),
      volumes: await readBackupFile((path) => io.readFile(path), args.dir, 'pv'),
      written: [await io.readFile(files.volumes), await io.readFile(files.claims), await io.readFile(files.report)],
    };
  },
  plan(args, facts): StepPlan {
    const files = restoreFiles(args.dir, args.suffix);
    if (!facts) throw new PlanError(`cannot read the backup in ${args.dir}`);
    const [volumes, claims] = [items(facts.volumes, args.dir, 'pv'), items(facts.claims, args.dir, 'pvc')];
    const plan = planRestore(volumes, claims, {
      namespace: args.namespace,
      skip: new Set(args.skip ?? defaults.skip),
      released: args.released ?? defaults.released,
    });
    // A backup of other namespaces only would restore nobody here, and say so only as "0 volume(s)".
    const others = [
      ...new Set(
        claims
          .map((claim) => claim['metadata']?.namespace)
          .filter((namespace) => namespace && namespace !== args.namespace),
      ),
    ];
    if (plan.restored.length === 0 && others.length > 0)
      throw new PlanRefusal(
        `the backup in ${args.dir} holds no claim of namespace ${args.namespace} to restore, only of ${others.join(', ')}: is it the backup of another namespace?`,
      );
    if (plan.restored.length === 0 && !(args.allow_empty ?? defaults.allow_empty))
      throw new PlanRefusal(
        `the backup in ${args.dir} holds no volume of namespace ${args.namespace} to restore (${claims.length} claim(s) and ${volumes.length} volume(s) in it${plan.leftOut.length ? `, ${plan.leftOut.length} left out` : ''}): a restore that brings back nobody is usually the wrong folder; allow_empty: true for a namespace that has no users yet`,
      );
    const report = {
      namespace: args.namespace,
      backup: { claims: facts.claims!.path, volumes: facts.volumes!.path },
      restore: { volumes: files.volumes, claims: files.claims },
      restored: plan.restored,
      left_out: plan.leftOut,
    };
    const contents = [kubeListText(plan.volumes), kubeListText(plan.claims), `${JSON.stringify(report, null, 2)}\n`];
    const paths = [files.volumes, files.claims, files.report];
    const writes: WriteAction[] = paths.flatMap((path, index) =>
      facts.written[index] === contents[index] ? [] : [{ kind: 'write' as const, path, content: contents[index]! }],
    );
    const released = plan.restored.filter((entry) => entry.kind !== 'user');
    const summary =
      `${plan.restored.length - released.length} volume(s) pre-bound to their claims in ${args.namespace}` +
      (released.length
        ? `, ${released.length} of deleted users pre-bound to their old claims (${released.map((entry) => entry.claim).join(', ')})`
        : '') +
      (plan.leftOut.length ? `; left out: ${plan.leftOut.length} (see ${files.report})` : '');
    const data = {
      ...files,
      restored: plan.restored.length,
      released: released.map((entry) => entry.claim),
      left_out: plan.leftOut.length,
    };
    if (writes.length === 0)
      return {
        change: 'none',
        reason: `${files.volumes} and ${files.claims} already hold ${summary}`,
        actions: [],
        data,
      };
    return {
      change: facts.written.every((text) => text === undefined) ? 'create' : 'update',
      reason: `write ${summary}`,
      actions: writes,
      details: describeRestore(plan),
      data,
    };
  },
});
