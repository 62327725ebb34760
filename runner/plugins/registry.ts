import type { AnyPlugin } from './contract.js';
import { commandPlugin } from './command.js';
import { manifestEditPlugin } from './manifest-edit.js';

/** Every plugin a playbook step can name, keyed by the step key that selects it. */
export const builtinPlugins: readonly AnyPlugin[] = [commandPlugin, manifestEditPlugin];

export function pluginByName(plugins: readonly AnyPlugin[]): Map<string, AnyPlugin> {
  return new Map(plugins.map((plugin) => [plugin.name, plugin]));
}
