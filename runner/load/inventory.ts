import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { VarLayer } from '../vars/var-layer.js';
import { parseYamlText, type YamlSource } from '../input/yaml-source.js';
import { readInputText } from '../input/read-input-file.js';
import { describeFsError } from '../input/fs-error.js';
import { InputError, type InputProblem } from '../input/input-error.js';
import { missingPathHint } from '../input/missing-path-hint.js';
import { formatLocation } from '../input/source-location.js';
import { variableNameProblem } from '../vars/variable-name.js';

export interface LoadedInventory {
  path: string;
  dir: string;
  site: string;
  layer: VarLayer;
}

async function inventoryFiles(path: string): Promise<{ files: string[]; dir: string }> {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' ? missingPathHint(path) : undefined;
    throw new InputError({
      message: `cannot read inventory ${path}: ${describeFsError(error)}`,
      ...(hint ? { hint } : {}),
    });
  }
  if (!info.isDirectory()) return { files: [path], dir: resolve(path, '..') };
  const entries = readdirSync(path)
    .filter((name) => ['.yml', '.yaml'].includes(extname(name)))
    .sort();
  if (entries.length === 0) throw new InputError({ message: `inventory ${path} holds no .yml or .yaml file` });
  return { files: entries.map((name) => join(path, name)), dir: resolve(path) };
}

function topLevelMap(source: YamlSource): Record<string, unknown> {
  const value = source.value;
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError({
      location: source.locate([]),
      message: 'an inventory file must be a map of variable names to values',
    });
  }
  const problems: InputProblem[] = Object.keys(value).flatMap((key) => {
    const problem = variableNameProblem(key);
    return problem ? [{ location: source.locate([key], 'key'), message: problem }] : [];
  });
  if (problems.length > 0) throw new InputError(problems);
  return value as Record<string, unknown>;
}

/** A path an inventory variable names, where it needs nothing but the folder itself (`{{ inventory_dir }}/x`). */
function namedPath(value: unknown, dir: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const path = value.replace(/\{\{\s*inventory_dir\s*\}\}/g, dir);
  return path.includes('{{') || path.includes('{%') ? undefined : resolve(dir, path);
}

/**
 * The files of the site's folder that its variables name as files (`config_file`, `secrets_file`,
 * any `*_file` or `*_files`): helm values and other data, never inventory, so never rendered.
 */
function dataFiles(sources: readonly YamlSource[], dir: string): Set<string> {
  const named = new Set<string>();
  for (const source of sources) {
    const map = source.value;
    if (!map || typeof map !== 'object' || Array.isArray(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      if (!/_files?$/.test(key)) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        const path = namedPath(item, dir);
        if (path) named.add(path);
      }
    }
  }
  return named;
}

/** The files that lines of the form `name_file: "{{ inventory_dir }}/x"` name, read from the text without parsing it. */
function namedPlainly(texts: readonly (string | undefined)[], dir: string): Set<string> {
  const named = new Set<string>();
  for (const text of texts) {
    if (text === undefined || text.length > 1_000_000) continue;
    for (const match of text.matchAll(/^[A-Za-z_][A-Za-z0-9_]*_files?:[ \t]*(["']?)([^"'\n#]+)\1[ \t]*(?:#.*)?$/gm)) {
      const path = namedPath(match[2]!.trim(), dir);
      if (path) named.add(path);
    }
  }
  return named;
}

/** One site's variables from a file or a directory of YAML files; a name defined twice in one site is an error. */
export async function loadInventory(path: string): Promise<LoadedInventory> {
  const { files, dir } = await inventoryFiles(path);
  const values: Record<string, unknown> = {};
  const origin = new Map<string, YamlSource>();
  const problems: InputProblem[] = [];
  // A data file (a 100 MB values file) is not parsed at all when the lines naming it say so plainly;
  // the parsed variables then decide, and a file skipped on a wrong guess is read after all.
  // Each file is read once; one that cannot be read (too large for an inventory file) is an error only if it is inventory.
  const texts = files.map((file): string | { error: unknown } => {
    try {
      return readInputText(file, 'inventory file');
    } catch (error) {
      return { error };
    }
  });
  const guessed =
    files.length > 1
      ? namedPlainly(
          texts.map((text) => (typeof text === 'string' ? text : undefined)),
          dir,
        )
      : new Set<string>();
  type Attempt = { skipped: true } | { source: YamlSource } | { error: unknown };
  const parse = (index: number): Attempt => {
    const text = texts[index]!;
    if (typeof text !== 'string') return text;
    try {
      return { source: parseYamlText(files[index]!, text) };
    } catch (error) {
      // A data file may hold YAML only its own reader takes: its error counts only if it is read as inventory.
      return { error };
    }
  };
  const read = files.map((file, index): Attempt => (guessed.has(resolve(file)) ? { skipped: true } : parse(index)));
  const parsed = read.flatMap((attempt) => ('source' in attempt ? [attempt.source] : []));
  const data = files.length > 1 ? dataFiles(parsed, dir) : new Set<string>();
  for (const [index, attempt] of read.entries()) {
    if (data.has(resolve(files[index]!))) continue;
    // A file guessed to be data that the variables do not name after all is inventory: parsed now.
    const taken = 'skipped' in attempt ? parse(index) : attempt;
    if ('error' in taken) throw taken.error;
    const source = (taken as { source: YamlSource }).source;
    for (const [key, value] of Object.entries(topLevelMap(source))) {
      const earlier = origin.get(key);
      if (earlier) {
        problems.push({
          location: source.locate([key], 'key'),
          message: `variable '${key}' is already defined at ${formatLocation(earlier.locate([key], 'key'))}; define it once per site`,
        });
        continue;
      }
      values[key] = value;
      origin.set(key, source);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  const site = typeof values['site_name'] === 'string' ? values['site_name'] : basename(path, extname(path));
  return {
    path,
    dir,
    site,
    layer: {
      label: `inventory ${path}`,
      values,
      locate: (keyPath) => {
        const key = String(keyPath[0]);
        return origin.get(key)?.locate(keyPath);
      },
    },
  };
}
