import type { Ajv, Options, ValidateFunction } from 'ajv';
import type { AnyPlugin } from '../plugins/contract.js';
import type { InputProblem } from '../load/input-error.js';
import { createAjv } from './ajv-instance.js';
import { formatSchemaErrors, type Locate } from './format-errors.js';
import { loadPrecompiled } from './precompiled.js';
import { argsValidatorName } from './validator-names.js';

const cache = new WeakMap<AnyPlugin, ValidateFunction>();

/** An ajv that knows the plugin's shared sub-schemas and fills in argument defaults. */
export function argsAjv(plugin: AnyPlugin, options: Options = {}): Ajv {
  const ajv = createAjv({ useDefaults: true, ...options });
  for (const shared of plugin.shared ?? []) ajv.addSchema(shared);
  return ajv;
}

/** Checks a step's rendered arguments against the plugin's own schema and fills in its defaults. */
export function validateRenderedArgs(plugin: AnyPlugin, args: unknown, locate: Locate): InputProblem[] {
  let validate = cache.get(plugin);
  if (!validate) {
    validate = loadPrecompiled(argsValidatorName(plugin.name)) ?? argsAjv(plugin).compile(plugin.schema);
    cache.set(plugin, validate);
  }
  if (validate(args)) return [];
  return formatSchemaErrors(validate.errors ?? [], { locate, pluginNames: [], value: args }).map((problem) => ({
    ...problem,
    message: `after templating, ${problem.message}`,
  }));
}
