import type { ProcessRunner } from '../exec/exec-result.js';
import { loadInventory } from '../load/inventory.js';
import { builtinPlugins } from '../plugins/registry.js';
import { resolveVars } from '../vars/resolve-vars.js';
import type { SecretMasker } from '../vars/secret-masker.js';
import type { AppIO } from './app-io.js';
import { siteLayers } from './build-layers.js';
import { defaultInventory } from './default-inventory.js';
import { isSandboxed, openSandbox } from './sandbox-session.js';
import { siteStateDir } from './site-state-dir.js';

/** A site as the commands about it (not a playbook run) see it: its resolved values, its folder and its state folder. */
export interface SiteView {
  vars: Readonly<Record<string, unknown>>;
  dir: string;
  stateDir: string;
}

/** Loads the site's inventories (the simulated site's when none is named) and resolves their values; throws InputError on bad input. */
export async function loadSiteView(paths: readonly string[], masker: SecretMasker): Promise<SiteView> {
  const inventories = [];
  for (const path of paths.length ? paths : [defaultInventory()]) inventories.push(await loadInventory(path));
  const vars = resolveVars(siteLayers(builtinPlugins, inventories), masker).values;
  return { vars, dir: inventories[inventories.length - 1]!.dir, stateDir: siteStateDir(vars, inventories) };
}

/**
 * Runs `work` with the runner tools reach the site through: the simulated site started for it (its
 * PATH and KUBECONFIG), or the machine's own. Returns why not when the simulated site does not start.
 */
export async function withSiteTools<T>(
  site: SiteView,
  io: AppIO,
  work: (runner: ProcessRunner) => Promise<T>,
): Promise<T | { notStarted: string }> {
  let sandbox;
  try {
    sandbox = isSandboxed(site.vars) ? await openSandbox(site.vars, site.dir, io.runner) : undefined;
  } catch (error) {
    return { notStarted: `the simulated site does not start: ${(error as Error).message}` };
  }
  try {
    return await work(sandbox?.runner ?? io.runner);
  } finally {
    await sandbox?.close();
  }
}
