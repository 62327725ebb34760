import { notConfirmed } from './confirmation.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { InputError } from '../input/input-error.js';
import type { AppIO } from './app-io.js';
import { PendingRestores, type PendingRestore } from './pending-restores.js';
import { siteForCommand, underSiteLock } from './site-command.js';
import { SecretMasker } from '../vars/secret-masker.js';
import { clusterKubectl } from './backup-witness.js';
import { withSiteTools, type SiteView } from './site-view.js';
import { describeProgress, restoreProgress, type RestoreProgress } from './unrestored-claims.js';

const namespacePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `run release-restore <namespace>`: the explicit way out of a pending restore, for claims restored and checked by hand. */
export async function releaseRestore(
  invocation: { namespace: string; inventories: string[]; yes: boolean },
  io: AppIO,
): Promise<ExitCodeValue> {
  const masker = new SecretMasker();
  const site = await siteForCommand(invocation.inventories, masker, io, () => {
    if (!namespacePattern.test(invocation.namespace))
      throw new InputError({
        message: `release-restore: ${JSON.stringify(invocation.namespace)} is not a Kubernetes namespace name`,
      });
  });
  if (typeof site === 'number') return site;
  // Never while a run holds the site: it may be restoring this very namespace.
  return underSiteLock(site, 'release-restore', io, () =>
    release(invocation, io, site.stateDir, (restore) => progressOnSite(restore, site, io), masker),
  );
}

/** Looks at the site's cluster (the simulated one started for it) to see how far the restore got. */
async function progressOnSite(restore: PendingRestore, site: SiteView, io: AppIO): Promise<RestoreProgress> {
  const progress = await withSiteTools(site, io, (runner) =>
    restoreProgress(restore, clusterKubectl(undefined, site.vars), (request) => runner.run(request, io.signal)),
  );
  return 'notStarted' in progress ? { unknown: progress.notStarted } : progress;
}

async function release(
  invocation: { namespace: string; yes: boolean },
  io: AppIO,
  stateDir: string,
  progressOf: (restore: PendingRestore) => Promise<RestoreProgress>,
  masker: SecretMasker,
): Promise<ExitCodeValue> {
  const restores = new PendingRestores(stateDir);
  const pending = restores.get(invocation.namespace);
  if (!pending) {
    io.stdout.write(`no restore of ${invocation.namespace} is pending on this site (${stateDir})\n`);
    return ExitCode.ok;
  }
  const what = `the pending restore of ${pending.namespace} (run ${pending.runId} of ${pending.playbook}, since ${pending.since}, backup ${pending.backupDir})`;
  const progress = await progressOf(pending);
  io.stdout.write(`${masker.mask(describeProgress(pending.namespace, progress))}\n`);
  // A user whose claim is not back would get a new, empty volume once a hub runs: releasing that takes more than a reflex.
  const complete = !('unknown' in progress) && progress.missing.length === 0;
  if (!invocation.yes) {
    if (!io.ask) {
      io.stderr.write(
        `refused to release ${what} without confirmation: nobody can answer a prompt here, so rerun with --yes\n`,
      );
      return ExitCode.refused;
    }
    const answer = await io
      .ask(
        complete
          ? `This releases ${what}: JupyterHub may then be installed into ${pending.namespace} before its claims are checked.\nType "yes" to go on: `
          : `This releases ${what} while its users' claims are not all back: a user without one gets a new, empty volume when they log in.\nType the namespace (${pending.namespace}) to go on: `,
      )
      .catch((error: unknown) => {
        if (io.signal?.aborted) return undefined;
        throw error;
      });
    if (answer === undefined) {
      io.stderr.write(`not confirmed (interrupted): ${what} stays pending\n`);
      return ExitCode.interrupted;
    }
    const refused = notConfirmed(answer, complete ? 'yes' : pending.namespace);
    if (refused) {
      io.stderr.write(`refused to release ${what}: ${refused}\n`);
      return ExitCode.refused;
    }
  }
  restores.close(pending.namespace);
  io.stdout.write(`released ${what}\n`);
  return ExitCode.ok;
}
