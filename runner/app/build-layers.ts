import type { LoadedInventory } from '../load/inventory.js';
import type { LoadedPlaybook } from '../load/playbook.js';
import type { AnyPlugin } from '../plugin-contract/contract.js';
import type { VarLayer } from '../vars/var-layer.js';
import { sandboxPort, type RawSandbox } from '../../sandbox/index.js';

/** The precedence chain, lowest first: plugin defaults < playbook vars < inventory < -e. */
export function buildLayers(
  plugins: readonly AnyPlugin[],
  playbook: LoadedPlaybook,
  inventories: readonly LoadedInventory[],
  extra: VarLayer,
): VarLayer[] {
  const [builtins, defaults, ...sites] = siteLayers(plugins, inventories, playbook.dir);
  return [
    builtins!,
    defaults!,
    { label: `playbook ${playbook.file}`, values: playbook.vars, locate: (path) => playbook.locateVar(path) },
    ...sites,
    extra,
  ];
}

/** The site's own values without a playbook, for commands about the site (release-restore): built-ins, plugin defaults, inventories. */
export function siteLayers(
  plugins: readonly AnyPlugin[],
  inventories: readonly LoadedInventory[],
  playbookDir = process.cwd(),
): VarLayer[] {
  const builtins: Record<string, unknown> = {
    playbook_dir: playbookDir,
    inventory_dir: inventories[0]?.dir ?? process.cwd(),
    site: inventories[inventories.length - 1]?.site ?? 'local',
    // Names this run's new folders (a backup is never written into an older one): 20261124T041500.123Z;
    // to the millisecond, as two runs in the same second (one refused, the next) must not share a folder.
    run_id: new Date().toISOString().replace(/[-:]/g, ''),
  };
  const defaults: Record<string, unknown> = {};
  for (const plugin of plugins) Object.assign(defaults, plugin.varDefaults ?? {});
  const sandboxSite = [...inventories].reverse().find((inventory) => inventory.layer.values['sandbox']);
  if (sandboxSite) {
    const raw = sandboxSite.layer.values['sandbox'] as RawSandbox;
    builtins['sandbox_url'] = `http://127.0.0.1:${sandboxPort(typeof raw === 'object' ? raw : {}, sandboxSite.dir)}`;
  }
  return [
    { label: 'built-in values', values: builtins, locate: () => undefined, literal: true },
    { label: 'plugin defaults', values: defaults, locate: () => undefined },
    ...inventories.map((inventory) => inventory.layer),
  ];
}
