import { notConfirmed } from './confirmation.js';
import type { DestructionGuard } from '../engine/engine-context.js';
import type { Destruction, ProtectedBackup } from '../plugin-contract/contract.js';
import { pendingRestoreRefusal, type PendingRestores } from './pending-restores.js';

export type VerifiedBackup = ProtectedBackup;

export interface GuardOptions {
  yes: boolean;
  named: VerifiedBackup[];
  /** Compares a backup with the cluster at stake now: undefined when it matches, else what does not. */
  witness?: (backup: VerifiedBackup, destruction: Destruction) => Promise<string | undefined>;
  ask?: (question: string) => Promise<string>;
  /** The site's pending restores, and what the run records in them. */
  restores?: { store: PendingRestores; runId: string; playbook: string; siteArgs: string; command?: string };
}

/**
 * Destruction needs a verified backup covering it (this run's, or `--backup`) and a yes from the user;
 * installing a hub waits until a pending restore of its namespace is verified.
 */
export function destructionGuard(options: GuardOptions): DestructionGuard & { releaseUnused(): string[] } {
  const backups = [...options.named];
  // Restores this invocation opened, and whether it let anything be destroyed since: a refusal before the destroy leaves none pending.
  const openedHere = new Set<string>();
  let approvedAny = false;
  // The latest backup of each namespace at stake (the whole cluster: of every namespace a backup covers), or none when one is missing.
  const covering = (destruction: Destruction): VerifiedBackup[] | undefined => {
    const needed = destruction.namespaces ?? (destruction.namespace !== undefined ? [destruction.namespace] : []);
    const namespaces = needed.length ? needed : [...new Set(backups.map((backup) => backup.namespace))];
    const found = namespaces.map((namespace) => backups.findLast((backup) => backup.namespace === namespace));
    return found.length > 0 && found.every(Boolean) ? (found as VerifiedBackup[]) : undefined;
  };
  /** A backup is trusted only as the cluster and the disk show it now, at the moment of the decision. */
  const mismatch = async (covered: VerifiedBackup[], destruction: Destruction) => {
    for (const backup of covered) {
      const differs = await options.witness?.(backup, destruction);
      if (differs)
        return `refused to destroy ${destruction.what}: the backup in ${backup.dir} does not match what it protects now: ${differs}. Take a new backup (a new run_id), or name a current one with --backup <dir>`;
    }
    return undefined;
  };
  return {
    observe(result) {
      if (result.protects) backups.push(result.protects);
      const restores = options.restores;
      if (!restores || !result.restore) return;
      if (result.restore.state === 'verified') return restores.store.close(result.restore.namespace);
      const open = restores.store.get(result.restore.namespace);
      if (open?.runId === restores.runId) return;
      restores.store.open({
        namespace: result.restore.namespace,
        runId: restores.runId,
        playbook: restores.playbook,
        backupDir: result.restore.backupDir,
        since: new Date().toISOString(),
      });
      openedHere.add(result.restore.namespace);
    },
    releaseUnused() {
      if (approvedAny || !options.restores) return [];
      for (const namespace of openedHere) options.restores.store.close(namespace);
      return [...openedHere];
    },
    approveDeploy(namespace) {
      const pending = options.restores?.store.get(namespace);
      return pending
        ? pendingRestoreRefusal(pending, options.restores!.siteArgs, options.restores!.command)
        : undefined;
    },
    async approve(destruction) {
      const covered = covering(destruction);
      if (!covered) {
        const needed = destruction.namespaces ?? (destruction.namespace !== undefined ? [destruction.namespace] : []);
        const scope = needed.length
          ? `of namespace ${needed.filter((namespace) => !backups.some((backup) => backup.namespace === namespace)).join(', ')}`
          : "of the cluster's JupyterHub volumes";
        return `refused to destroy ${destruction.what}: no verified backup ${scope} from this run; run the playbook's backup step first, or name one with --backup <dir>`;
      }
      const refusal = await mismatch(covered, destruction);
      if (refusal) return refusal;
      const question = `This destroys ${destruction.what}.\nBackup: ${covered.map((backup) => backup.dir).join(', ')}\nType "yes" to go on: `;
      if (!options.yes && !options.ask)
        return `refused to destroy ${destruction.what} without confirmation: nobody can answer a prompt here, so rerun with --yes`;
      const refused = options.yes ? undefined : notConfirmed(await options.ask!(question));
      if (refused) return `refused to destroy ${destruction.what}: ${refused}`;
      approvedAny = true;
      return undefined;
    },
  };
}
