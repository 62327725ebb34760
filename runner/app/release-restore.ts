import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { InputError } from '../input/input-error.js';
import { loadInventory } from '../load/inventory.js';
import type { AppIO } from './app-io.js';
import { defaultInventory } from './default-inventory.js';
import { PendingRestores } from './pending-restores.js';
import { reportInputError } from './report-input-error.js';
import { siteStateDir } from './site-state-dir.js';
import { lockSite, SiteLocked } from './site-lock.js';

const namespacePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `run release-restore <namespace>`: the explicit way out of a pending restore, for claims restored and checked by hand. */
export async function releaseRestore(
  invocation: { namespace: string; inventories: string[]; yes: boolean },
  io: AppIO,
): Promise<ExitCodeValue> {
  let stateDir: string;
  try {
    if (!namespacePattern.test(invocation.namespace))
      throw new InputError({
        message: `release-restore: ${JSON.stringify(invocation.namespace)} is not a Kubernetes namespace name`,
      });
    const inventories = [];
    for (const path of invocation.inventories.length ? invocation.inventories : [defaultInventory()])
      inventories.push(await loadInventory(path));
    // Only where the site keeps its state is needed: the inventory's own values, later files winning.
    stateDir = siteStateDir(Object.assign({}, ...inventories.map((inventory) => inventory.layer.values)), inventories);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reportInputError(error, io.stderr, io.env);
    return ExitCode.invalidInput;
  }
  // Never while a run holds the site: it may be restoring this very namespace.
  let unlock: () => void;
  try {
    unlock = await lockSite(stateDir, 'release-restore');
  } catch (error) {
    if (!(error instanceof SiteLocked)) throw error;
    io.stderr.write(`refused: ${error.message}\n`);
    return ExitCode.refused;
  }
  try {
    return await release(invocation, io, stateDir);
  } finally {
    unlock();
  }
}

async function release(
  invocation: { namespace: string; yes: boolean },
  io: AppIO,
  stateDir: string,
): Promise<ExitCodeValue> {
  const restores = new PendingRestores(stateDir);
  const pending = restores.get(invocation.namespace);
  if (!pending) {
    io.stdout.write(`no restore of ${invocation.namespace} is pending on this site (${stateDir})\n`);
    return ExitCode.ok;
  }
  const what = `the pending restore of ${pending.namespace} (run ${pending.runId} of ${pending.playbook}, since ${pending.since}, backup ${pending.backupDir})`;
  if (!invocation.yes) {
    if (!io.ask) {
      io.stderr.write(
        `refused to release ${what} without confirmation: nobody can answer a prompt here, so rerun with --yes\n`,
      );
      return ExitCode.refused;
    }
    const answer = (
      await io.ask(
        `This releases ${what}: JupyterHub may then be installed into ${pending.namespace} before its claims are checked.\nType "yes" to go on: `,
      )
    )
      .trim()
      .toLowerCase();
    if (answer !== 'yes') {
      io.stderr.write(`refused to release ${what}: not confirmed\n`);
      return ExitCode.refused;
    }
  }
  restores.close(pending.namespace);
  io.stdout.write(`released ${what}\n`);
  return ExitCode.ok;
}
