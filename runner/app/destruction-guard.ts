import type { DestructionGuard } from '../engine/engine-context.js';
import type { Destruction, ProtectedBackup } from '../plugins/contract.js';
import { pendingRestoreRefusal, type PendingRestores } from './pending-restores.js';

export type VerifiedBackup = ProtectedBackup;

export interface GuardOptions {
  yes: boolean;
  named: VerifiedBackup[];
  ask?: (question: string) => Promise<string>;
  /** The site's pending restores, and what the run records in them. */
  restores?: { store: PendingRestores; runId: string; playbook: string; siteArgs: string; command?: string };
}

/**
 * Destruction needs a verified backup covering it (this run's, or `--backup`) and a yes from the user;
 * installing a hub waits until a pending restore of its namespace is verified.
 */
export function destructionGuard(options: GuardOptions): DestructionGuard {
  const backups = [...options.named];
  const covering = (destruction: Destruction) => {
    const needed = destruction.namespaces ?? (destruction.namespace !== undefined ? [destruction.namespace] : []);
    if (needed.length === 0) return backups[0];
    const found = needed.map((namespace) => backups.find((backup) => backup.namespace === namespace));
    return found.every(Boolean) ? found[0] : undefined;
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
    },
    approveDeploy(namespace) {
      const pending = options.restores?.store.get(namespace);
      return pending
        ? pendingRestoreRefusal(pending, options.restores!.siteArgs, options.restores!.command)
        : undefined;
    },
    async approve(destruction) {
      const backup = covering(destruction);
      if (!backup) {
        const needed = destruction.namespaces ?? (destruction.namespace !== undefined ? [destruction.namespace] : []);
        const scope = needed.length
          ? `of namespace ${needed.filter((namespace) => !backups.some((backup) => backup.namespace === namespace)).join(', ')}`
          : "of the cluster's JupyterHub volumes";
        return `refused to destroy ${destruction.what}: no verified backup ${scope} from this run; run the playbook's backup step first, or name one with --backup <dir>`;
      }
      if (options.yes) return undefined;
      const question = `This destroys ${destruction.what}.\nBackup: ${backup.dir}\nType "yes" to go on: `;
      if (!options.ask)
        return `refused to destroy ${destruction.what} without confirmation: nobody can answer a prompt here, so rerun with --yes`;
      const answer = (await options.ask(question)).trim().toLowerCase();
      return answer === 'yes' ? undefined : `refused to destroy ${destruction.what}: not confirmed`;
    },
  };
}
