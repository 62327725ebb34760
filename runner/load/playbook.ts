import { dirname, resolve } from 'node:path';
import type { AnyPlugin } from '../plugins/contract.js';
import type { PluginStep } from '../engine/step.js';
import { InputError } from './input-error.js';
import type { SourceLocation } from './source-location.js';
import { readYamlFile, type PathSegment, type YamlSource } from './yaml-source.js';
import { validatePlaybook } from '../schema/validate-playbook.js';
import { stepKeyNames } from '../schema/step-keys.js';

export interface LoadedPlaybook {
  file: string;
  dir: string;
  name: string;
  vars: Record<string, unknown>;
  steps: PluginStep[];
  source: YamlSource;
  locateVar: (path: readonly PathSegment[]) => SourceLocation;
}

/** Reads, validates and shapes a playbook; any problem is an InputError with positions, before anything runs. */
export async function loadPlaybook(file: string, plugins: readonly AnyPlugin[]): Promise<LoadedPlaybook> {
  const source = await readYamlFile(file, 'playbook');
  const value = source.value;
  if (value === null || value === undefined) throw new InputError({ location: source.locate([]), message: 'the playbook is empty' });
  validatePlaybook(value, source, plugins);
  const raw = value as { name: string; vars?: Record<string, unknown>; steps: Record<string, unknown>[] };
  const pluginNames = new Set(plugins.map((plugin) => plugin.name));
  const steps = raw.steps.map((step, index): PluginStep => {
    const pluginName = Object.keys(step).find((key) => pluginNames.has(key))!;
    const common = Object.fromEntries(Object.entries(step).filter(([key]) => stepKeyNames.includes(key)));
    return {
      index,
      ...(common as Omit<PluginStep, 'index' | 'plugin' | 'args' | 'location' | 'locate'>),
      plugin: pluginName,
      args: step[pluginName],
      location: source.locate(['steps', index]),
      locate: (path, target) => source.locate(['steps', index, ...path], target),
    };
  });
  return {
    file,
    dir: dirname(resolve(file)),
    name: raw.name,
    vars: raw.vars ?? {},
    steps,
    source,
    locateVar: (path) => source.locate(['vars', ...path]),
  };
}
