import { parse } from 'yaml';
import { InputError } from '../load/input-error.js';
import { readYamlFile } from '../load/yaml-source.js';
import type { VarLayer } from './var-layer.js';

const dottedName = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

/** `-e key=value` (values are strings; dotted keys set nested values), `-e @file.yml`, or `-e '{"k": 1}'`. */
export async function loadExtraVars(items: readonly string[]): Promise<VarLayer> {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const item of items) {
    if (item.startsWith('@')) {
      const source = await readYamlFile(item.slice(1), 'extra-vars file');
      const map = source.value;
      if (!map || typeof map !== 'object' || Array.isArray(map)) {
        throw new InputError({ location: source.locate([]), message: 'an extra-vars file must be a map of variable names to values' });
      }
      for (const [key, value] of Object.entries(map)) {
        values[key] = value;
        origins.set(key, item);
      }
      continue;
    }
    if (item.trimStart().startsWith('{')) {
      let map: unknown;
      try {
        map = parse(item);
      } catch (error) {
        throw new InputError({ message: `-e ${item}: invalid YAML/JSON map: ${(error as Error).message.split('\n')[0]}` });
      }
      for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
        values[key] = value;
        origins.set(key, '-e');
      }
      continue;
    }
    const equals = item.indexOf('=');
    const key = equals > 0 ? item.slice(0, equals) : '';
    if (!dottedName.test(key)) {
      throw new InputError({ message: `-e ${JSON.stringify(item)}: expected key=value, @file.yml or a {map}` });
    }
    values[key] = item.slice(equals + 1);
    origins.set(key, `-e ${key}`);
  }
  return {
    label: 'extra vars (-e)',
    values,
    nested: true,
    locate: (path) => ({ file: origins.get(String(path[0])) ?? '-e', line: 1, col: 1 }),
  };
}
