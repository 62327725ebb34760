import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { InputError } from '../input/input-error.js';
import type { SecretMasker } from '../vars/secret-masker.js';
import type { AppIO } from './app-io.js';
import { reportInputError } from './report-input-error.js';
import { lockSite, SiteLocked } from './site-lock.js';
import { loadSiteView, type SiteView } from './site-view.js';

/**
 * The site a command beside the playbooks works on (doctor, release-restore, sandbox), or the exit
 * code of its bad input, already reported; `check` refuses what the command cannot take.
 */
export async function siteForCommand(
  inventories: string[],
  masker: SecretMasker,
  io: AppIO,
  check: (site: SiteView) => void = () => {},
): Promise<SiteView | ExitCodeValue> {
  try {
    const site = await loadSiteView(inventories, masker);
    check(site);
    return site;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reportInputError(error, io.stderr, io.env);
    return ExitCode.invalidInput;
  }
}

/** Runs `work` holding the site lock, or refuses (exit 4, naming the holder) while a run holds it. */
export async function underSiteLock<T>(
  site: SiteView,
  holder: string,
  io: AppIO,
  work: () => Promise<T>,
): Promise<T | ExitCodeValue> {
  let unlock: () => void;
  try {
    unlock = await lockSite(site.stateDir, holder);
  } catch (error) {
    if (!(error instanceof SiteLocked)) throw error;
    io.stderr.write(`refused: ${error.message}\n`);
    return ExitCode.refused;
  }
  try {
    return await work();
  } finally {
    unlock();
  }
}
