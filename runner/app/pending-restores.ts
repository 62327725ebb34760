import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../exec/atomic-write.js';

/** A namespace whose claims were backed up to be restored on a new cluster, and are not yet proven back. */
export interface PendingRestore {
  namespace: string;
  runId: string;
  playbook: string;
  backupDir: string;
  since: string;
}

/**
 * The site's pending restores, one file per namespace in `state_dir/restores/`: they outlive the run
 * that opened them (a kill, a failure), so that no later run installs a hub before the claims are back.
 */
export class PendingRestores {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'restores');
  }

  private file(namespace: string): string {
    return join(this.dir, `${namespace}.json`);
  }

  get(namespace: string): PendingRestore | undefined {
    try {
      return JSON.parse(readFileSync(this.file(namespace), 'utf8')) as PendingRestore;
    } catch {
      return undefined;
    }
  }

  list(): PendingRestore[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
    return names
      .map((name) => this.get(name.slice(0, -'.json'.length)))
      .filter((restore): restore is PendingRestore => restore !== undefined);
  }

  open(restore: PendingRestore): void {
    writeFileAtomicSync(this.file(restore.namespace), `${JSON.stringify(restore, null, 2)}\n`);
  }

  close(namespace: string): void {
    rmSync(this.file(namespace), { force: true });
  }
}

/** Why a hub may not be installed into the namespace now, naming the run, how to finish it and how to release it. */
export function pendingRestoreRefusal(restore: PendingRestore, site: string, command = 'run'): string {
  return (
    `refused to install JupyterHub into ${restore.namespace}: a restore of its claims is pending since ${restore.since} ` +
    `(run ${restore.runId} of ${restore.playbook}, backup ${restore.backupDir}); a hub started now could give a user a new, empty volume. ` +
    `Finish the restore with: ${command} ${restore.playbook} ${site}--resume. If the claims were restored and checked another way: ${command} release-restore ${restore.namespace} ${site}--yes`
  );
}
