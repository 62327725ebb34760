import type { DestructionGuard } from '../engine/engine-context.js';
import type { Destruction } from '../plugins/contract.js';

export interface VerifiedBackup {
  dir: string;
  namespace: string;
}

/** Destruction needs a verified backup covering it (this run's, or `--backup`) and a yes from the user. */
export function destructionGuard(options: { yes: boolean; named: VerifiedBackup[]; ask?: (question: string) => Promise<string> }): DestructionGuard {
  const backups = [...options.named];
  const covering = (destruction: Destruction) => backups.find((backup) => destruction.namespace === undefined || backup.namespace === destruction.namespace);
  return {
    observe(result) {
      if (result['verified'] === true && typeof result['dir'] === 'string' && typeof result['namespace'] === 'string') {
        backups.push({ dir: result['dir'], namespace: result['namespace'] });
      }
    },
    async approve(destruction) {
      const backup = covering(destruction);
      if (!backup) {
        const scope = destruction.namespace ? `of namespace ${destruction.namespace}` : 'of the cluster\'s JupyterHub volumes';
        return `refused to destroy ${destruction.what}: no verified backup ${scope} from this run; run the playbook's backup step first, or name one with --backup <dir>`;
      }
      if (options.yes) return undefined;
      const question = `This destroys ${destruction.what}.\nBackup: ${backup.dir}\nType "yes" to go on: `;
      if (!options.ask) return `refused to destroy ${destruction.what} without confirmation: nobody can answer a prompt here, so rerun with --yes`;
      const answer = (await options.ask(question)).trim().toLowerCase();
      return answer === 'yes' ? undefined : `refused to destroy ${destruction.what}: not confirmed`;
    },
  };
}
