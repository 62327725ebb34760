import type { Ajv, Options, ValidateFunction } from 'ajv';
import type { AnyPlugin } from '../plugin-contract/contract.js';
import type { InputProblem } from '../input/input-error.js';
import { createAjv } from './ajv-instance.js';
import { formatSchemaErrors, type Locate } from './format-errors.js';
import { loadPrecompiled } from './precompiled.js';
import { argsValidatorName } from './validator-names.js';
import { coerceRenderedScalars } from '../input/coerce-scalars.js';

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
  const nul = nulBytePath(args, []);
  if (nul)
    return [
      {
        location: locate(nul),
        message: `after templating, ${nul.join('.') || 'the value'} holds a NUL byte, which no program or file name can take`,
      },
    ];
  if (validate(args)) return [];
  if (coerceRenderedScalars(args, validate.errors ?? []) && validate(args)) return [];
  return formatSchemaErrors(validate.errors ?? [], { locate, pluginNames: [], value: args }).map((problem) => ({
    ...problem,
    message: `after templating, ${problem.message}`,
  }));
}

/** The path of the first string holding a NUL byte (argv, paths and environment cannot carry one); built only when one is found. */
function nulBytePath(value: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    if (typeof item === 'string' ? item.includes('\0') : item !== null && typeof item === 'object') {
      const found = nulBytePath(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
