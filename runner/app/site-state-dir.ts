import { resolve } from 'node:path';
import type { LoadedInventory } from '../load/inventory.js';

/** The site's own folder for locks, run journals, pending restores and the simulated site: `state_dir`, else `.state` beside the inventory. */
export function siteStateDir(vars: Readonly<Record<string, unknown>>, inventories: readonly LoadedInventory[]): string {
  const sandbox = vars['sandbox'] as { state_dir?: unknown } | undefined;
  const configured =
    vars['state_dir'] ?? (sandbox && typeof sandbox === 'object' ? sandbox.state_dir : undefined) ?? '.state';
  return resolve(inventories[inventories.length - 1]?.dir ?? process.cwd(), String(configured));
}
