import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { AnyPlugin } from '../plugin-contract/contract.js';
import type { PluginStep } from './plugin-step.js';
import { InputError } from '../input/input-error.js';
import type { SourceLocation } from '../input/source-location.js';
import { readYamlFile, type PathSegment, type YamlSource } from '../input/yaml-source.js';
import { builtinPlugins } from '../plugins/registry.js';
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

/** An imported playbook is named as the one that imports it was: relative to the working directory when it lies below it. */
function shownPath(absolute: string): string {
  const below = relative(process.cwd(), absolute);
  return below && !below.startsWith('..') && !isAbsolute(below) ? below : absolute;
}

/** A copy of a step with some values replaced, its `location` still found only when asked. */
function withValues(step: PluginStep, values: Partial<PluginStep>): PluginStep {
  return Object.defineProperties({} as PluginStep, {
    ...Object.getOwnPropertyDescriptors(step),
    ...Object.getOwnPropertyDescriptors(values),
  });
}

/** Reads, validates and shapes a playbook; any problem is an InputError with positions, before anything runs. */
export async function loadPlaybook(
  file: string,
  plugins: readonly AnyPlugin[],
  importing: readonly string[] = [],
): Promise<LoadedPlaybook> {
  const source = await readYamlFile(file, 'playbook');
  const value = source.value;
  if (value === null || value === undefined)
    throw new InputError({ location: source.locate([]), message: 'the playbook is empty' });
  // The schema depends only on the text and the plugins: a text this build validated before is not validated again.
  const schemaCheck = `playbook schema of ${plugins.map((plugin) => plugin.name).join(',')}`;
  if (!source.passedBefore(schemaCheck)) {
    validatePlaybook(value, source, plugins, plugins === builtinPlugins);
    source.notePassed(schemaCheck);
  }
  const raw = value as { name: string; vars?: Record<string, unknown>; steps: Record<string, unknown>[] };
  const pluginNames = new Set(plugins.map((plugin) => plugin.name));
  const dir = dirname(resolve(file));
  const steps: PluginStep[] = [];
  let vars: Record<string, unknown> = {};
  for (const [position, step] of raw.steps.entries()) {
    const pluginName = Object.keys(step).find((key) => pluginNames.has(key))!;
    const common = Object.fromEntries(Object.entries(step).filter(([key]) => stepKeyNames.includes(key))) as Omit<
      PluginStep,
      'index' | 'plugin' | 'args' | 'location' | 'locate'
    >;
    if (pluginName === 'import_playbook') {
      const target = resolve(dir, String(step[pluginName]));
      const where = () => source.locate(['steps', position, pluginName]);
      if ([resolve(file), ...importing].includes(target))
        throw new InputError({
          location: where(),
          message: `${String(step[pluginName])} imports itself (through ${[...importing, resolve(file)].join(' -> ')})`,
        });
      let imported: LoadedPlaybook;
      try {
        imported = await loadPlaybook(shownPath(target), plugins, [...importing, resolve(file)]);
      } catch (error) {
        if (error instanceof InputError && error.problems.every((problem) => !problem.location))
          throw new InputError(error.problems.map((problem) => ({ ...problem, location: where() })));
        throw error;
      }
      vars = { ...imported.vars, ...vars };
      // The import's tags and `when` apply to each inserted step.
      for (const inner of imported.steps) {
        const tags = [...new Set([...(inner.tags ?? []), ...(common.tags ?? [])])];
        const when =
          common.when === undefined
            ? inner.when
            : inner.when === undefined
              ? common.when
              : `(${String(common.when)}) and (${String(inner.when)})`;
        steps.push(
          withValues(inner, {
            index: steps.length,
            ...(tags.length ? { tags } : {}),
            ...(when !== undefined ? { when } : {}),
          }),
        );
      }
      continue;
    }
    const index = steps.length;
    steps.push({
      index,
      ...common,
      plugin: pluginName,
      args: step[pluginName],
      // Found when asked: positions come from a second parse when the text's value was kept from an earlier run.
      get location() {
        return source.locate(['steps', position]);
      },
      locate: (path, target) => source.locate(['steps', position, ...path], target),
    });
  }
  return {
    file,
    dir,
    name: raw.name,
    vars: { ...vars, ...(raw.vars ?? {}) },
    steps,
    source,
    locateVar: (path) => source.locate(['vars', ...path]),
  };
}
