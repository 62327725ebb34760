import type { ValidateFunction } from 'ajv';
import type { AnyPlugin } from '../plugins/contract.js';
import type { InputProblem } from '../load/input-error.js';
import { createAjv } from './ajv-instance.js';
import { formatSchemaErrors, type Locate } from './format-errors.js';

const cache = new WeakMap<AnyPlugin, ValidateFunction>();

/** Checks a step's rendered arguments against the plugin's own schema and fills in its defaults. */
export function validateRenderedArgs(plugin: AnyPlugin, args: unknown, locate: Locate): InputProblem[] {
  let validate = cache.get(plugin);
  if (!validate) {
    validate = createAjv({ useDefaults: true }).compile(plugin.schema);
    cache.set(plugin, validate);
  }
  if (validate(args)) return [];
  return formatSchemaErrors(validate.errors ?? [], { locate, pluginNames: [], value: args }).map((problem) => ({
    ...problem,
    message: `after templating, ${problem.message}`,
  }));
}
