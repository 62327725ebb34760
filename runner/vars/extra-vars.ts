import { InputError, type InputProblem } from '../input/input-error.js';
import { parseYamlText, readYamlFile, type YamlSource } from '../input/yaml-source.js';
import type { VarLayer } from './var-layer.js';
import { variableNameProblem } from './variable-name.js';
import { maxNestingDepth } from '../input/yaml-bounds.js';

const dottedName = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

/** The map an `-e @file` or `-e '{...}'` holds, its names checked as the inventory's are. */
function variablesOf(source: YamlSource, what: string): Record<string, unknown> {
  const map = source.value;
  if (!map || typeof map !== 'object' || Array.isArray(map))
    throw new InputError({ location: source.locate([]), message: `${what} must be a map of variable names to values` });
  const problems: InputProblem[] = Object.keys(map).flatMap((key) => {
    const problem = variableNameProblem(key);
    return problem ? [{ location: source.locate([key], 'key'), message: problem }] : [];
  });
  if (problems.length > 0) throw new InputError(problems);
  return map as Record<string, unknown>;
}

/** `-e key=value` (values are strings; dotted keys set nested values), `-e @file.yml`, or `-e '{"k": 1}'`. */
export async function loadExtraVars(items: readonly string[]): Promise<VarLayer> {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const item of items) {
    if (item.startsWith('@')) {
      for (const [key, value] of Object.entries(
        variablesOf(await readYamlFile(item.slice(1), 'extra-vars file'), 'an extra-vars file'),
      )) {
        values[key] = value;
        origins.set(key, item);
      }
      continue;
    }
    if (item.trimStart().startsWith('{')) {
      for (const [key, value] of Object.entries(variablesOf(parseYamlText('-e', item), '-e {...}'))) {
        values[key] = value;
        origins.set(key, '-e');
      }
      continue;
    }
    const equals = item.indexOf('=');
    const key = equals > 0 ? item.slice(0, equals) : '';
    if (!dottedName.test(key)) {
      throw new InputError({
        message: `-e ${JSON.stringify(item)}: expected key=value (key made of letters, digits and _), @file.yml or a {map}`,
      });
    }
    // A dotted key nests a map per dot: bounded as a YAML file's nesting is.
    const depth = key.split('.').length;
    if (depth > maxNestingDepth)
      throw new InputError({
        message: `-e ${key.slice(0, 40)}...: a key ${depth} levels deep; a variable may nest ${maxNestingDepth} levels`,
      });
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
