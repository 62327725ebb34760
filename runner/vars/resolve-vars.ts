import { valueAt } from '../input/value-at.js';
import { InputError } from '../input/input-error.js';
import type { PathSegment } from '../input/yaml-source.js';
import { RenderError, renderDeep } from '../template/render.js';
import { TemplateError } from '../template/template-error.js';
import { isTemplate } from '../template/environment.js';
import { referencedNames } from '../template/template-names.js';
import type { SecretMasker } from './secret-masker.js';
import { unwrapSecrets } from './secret-wrapper.js';
import type { VarLayer } from './var-layer.js';
import { checkOverrideType } from './override-type.js';

export interface ResolvedVars {
  values: Readonly<Record<string, unknown>>;
  /** Which layer gave each top-level variable, for `--list-steps` and error messages. */
  origin: ReadonlyMap<string, string>;
}

function deepSet(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    current[key] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {};
    current = current[key] as Record<string, unknown>;
  }
  current[path[path.length - 1]!] = value;
}

/** Top-level names read by the templates inside a value, so variables resolve in dependency order. */
function dependenciesOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string' && isTemplate(value)) {
    try {
      for (const reference of referencedNames(value)) into.add(reference.path[0]!);
    } catch {
      // A template that does not parse is reported when it renders.
    }
  } else if (Array.isArray(value)) value.forEach((item) => dependenciesOf(item, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((item) => dependenciesOf(item, into));
  return into;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * Merges the layers (later wins: plugin defaults < playbook vars < inventory < -e), renders templates
 * inside variables against the merged set, and registers every secret with the masker.
 */
export function resolveVars(layers: readonly VarLayer[], masker: SecretMasker): ResolvedVars {
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, VarLayer>();
  const secretPaths: PathSegment[][] = [];
  for (const layer of layers) {
    for (const [key, raw] of Object.entries(layer.values)) {
      const path = layer.nested ? key.split('.') : [key];
      const { value, secretPaths: found } = unwrapSecrets(raw, path);
      // Masked from the moment it is read: an error about any later value (a type check, a template) may quote it.
      for (const secret of found) masker.addDeep(valueAt(value, secret.slice(path.length)));
      checkOverrideType(layer, key, valueAt(merged, path), value, origin.get(path[0]!));
      secretPaths.push(...found);
      if (path.length > 1) deepSet(merged, path, value);
      else merged[key] = value;
      origin.set(path[0]!, layer);
    }
  }

  const values: Record<string, unknown> = { ...merged };
  const done = new Set<string>();
  const resolving: string[] = [];
  const resolve = (key: string): void => {
    if (done.has(key)) return;
    if (resolving.includes(key)) {
      throw new InputError({
        location: origin.get(key)?.locate([key]),
        message: `variable '${key}' refers to itself through ${[...resolving.slice(resolving.indexOf(key)), key].join(' -> ')}`,
      });
    }
    resolving.push(key);
    if (origin.get(key)?.literal) {
      resolving.pop();
      done.add(key);
      for (const path of secretPaths) if (path[0] === key) masker.addDeep(valueAt(values, path));
      return;
    }
    for (const dependency of dependenciesOf(merged[key])) if (dependency in merged) resolve(dependency);
    try {
      values[key] = renderDeep(merged[key], values);
    } catch (error) {
      const layer = origin.get(key);
      if (error instanceof RenderError) {
        throw new InputError({
          location: layer?.locate([key, ...error.path]),
          message: `in variable '${key}': ${error.message}`,
          hint: error.hint,
        });
      }
      if (error instanceof TemplateError)
        throw new InputError({ location: layer?.locate([key]), message: error.message, hint: error.hint });
      throw error;
    }
    resolving.pop();
    done.add(key);
    // Known as soon as it is rendered, so that every variable made from it later is a secret too.
    for (const path of secretPaths) if (path[0] === key) masker.addDeep(valueAt(values, path));
  };
  for (const key of Object.keys(merged)) resolve(key);
  return { values: deepFreeze(values), origin: new Map([...origin].map(([key, layer]) => [key, layer.label])) };
}
