import type { ErrorObject } from 'ajv';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { didYouMean } from '../../input/did-you-mean.js';
import { createAjv } from '../../schema/ajv-instance.js';
import { renamedValues } from './renamed-values.js';

/** A chart as the values check reads it: its name, version and `values.schema.json` (if it has one). */
export interface ChartSchema {
  name: string;
  version: string;
  /** Where the chart's files are (a local chart, or the one pulled into the run's scratch): what `helm template` renders. */
  dir?: string;
  schema?: Record<string, unknown>;
}

/** A values file and its text, in the order helm reads them (later wins). */
export interface ValuesSource {
  path: string;
  text: string;
}

const numbers = (version: string) => version.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map(Number);

/** Whether `version` is at or after `since`, by major, minor and patch. */
function atLeast(version: string, since: string): boolean {
  const [a, b] = [numbers(version), numbers(since)];
  for (let index = 0; index < 3; index += 1)
    if ((a[index] ?? 0) !== (b[index] ?? 0)) return (a[index] ?? 0) > (b[index] ?? 0);
  return true;
}

function valueAt(values: unknown, path: string[]): unknown {
  let current = values;
  for (const key of path) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Where a key is set: the last values file that sets it, at its line and column. */
function locate(sources: readonly ValuesSource[], path: string[]): string {
  for (const source of [...sources].reverse()) {
    const lines = new LineCounter();
    const document: Document = parseDocument(source.text, { lineCounter: lines });
    let node: unknown = document.contents;
    let offset: number | undefined;
    for (const key of path) {
      if (!isMap(node)) {
        offset = undefined;
        break;
      }
      const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value ?? item.key) === key);
      if (!pair) {
        offset = undefined;
        break;
      }
      offset = (pair.key as { range?: number[] }).range?.[0];
      node = pair.value;
    }
    if (offset !== undefined) {
      const { line, col } = lines.linePos(offset);
      return `${source.path}:${line}:${col}: `;
    }
  }
  return '';
}

/** The properties the schema allows where `path` points, for a did-you-mean. */
function propertiesAt(schema: Record<string, unknown>, path: string[]): string[] {
  let current: Record<string, any> | undefined = schema;
  for (const key of path) current = current?.['properties']?.[key];
  return Object.keys(current?.['properties'] ?? {});
}

const dotted = (path: string[]) => path.join('.');

type Validator = ReturnType<ReturnType<typeof createAjv>['compile']>;
const validators = new WeakMap<object, Validator | null>();

/** One compiled validator per schema read (a run's check and its apply read the same chart). */
function validatorFor(schema: Record<string, unknown>): Validator | undefined {
  if (!validators.has(schema)) {
    try {
      validators.set(schema, createAjv({ strict: false, allErrors: true }).compile(schema));
    } catch {
      validators.set(schema, null);
    }
  }
  return validators.get(schema) ?? undefined;
}

/**
 * The problems a chart would refuse the values for, each located in the values files: keys it
 * renamed (with the new name) and, against its `values.schema.json`, keys it does not have (with
 * the nearest it has) and values of the wrong type. Only what the given values set is checked, as
 * helm checks them merged with the chart's own defaults.
 */
export function chartValuesProblems(
  values: Record<string, unknown>,
  chart: ChartSchema,
  sources: readonly ValuesSource[],
): string[] {
  const problems: string[] = [];
  const label = `${chart.name} ${chart.version}`;
  for (const renamed of renamedValues) {
    if (renamed.chart !== chart.name || !atLeast(chart.version, renamed.since)) continue;
    const path = renamed.from.split('.');
    if (valueAt(values, path) === undefined) continue;
    problems.push(
      `${locate(sources, path)}\`${renamed.from}\` is not a value of ${label}: since ${renamed.since} it is \`${renamed.to}\``,
    );
  }
  if (!chart.schema) return problems;
  const validate = validatorFor(chart.schema);
  // A schema of a draft this check does not read: helm still checks it, as it always has.
  if (!validate || validate(values)) return inFileOrder(problems, sources);
  const seen = new Set(problems.map((problem) => problem.replace(/^[^`]*/, '')));
  for (const error of validate.errors ?? []) {
    const message = describe(error, values, chart.schema, label);
    if (!message) continue;
    const key = message.text.replace(/^[^`]*/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(`${locate(sources, message.path)}${message.text}`);
  }
  return inFileOrder(problems, sources);
}

/** Problems in the order a person fixes them: file by file, line by line. */
function inFileOrder(problems: string[], sources: readonly ValuesSource[]): string[] {
  const order = (problem: string) => {
    const match = /^(.*):(\d+):(\d+): /.exec(problem);
    const file = match ? sources.findIndex((source) => source.path === match[1]) : sources.length;
    return [file, Number(match?.[2] ?? 0), Number(match?.[3] ?? 0)] as const;
  };
  return [...problems].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

function describe(
  error: ErrorObject,
  values: Record<string, unknown>,
  schema: Record<string, unknown>,
  label: string,
): { path: string[]; text: string } | undefined {
  const at = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    const path = [...at, extra];
    // A renamed key is said once, with its new name.
    if (renamedValues.some((renamed) => renamed.from === dotted(path))) return undefined;
    const near = didYouMean(extra, propertiesAt(schema, at));
    return {
      path,
      text: `\`${dotted(path)}\` is not a value of ${label}${near ? `; did you mean \`${dotted([...at, near])}\`?` : ''}`,
    };
  }
  // A null removes a default (helm's rule), and `required` is met by the chart's own defaults.
  if (valueAt(values, at) === null || !['type', 'enum', 'const'].includes(error.keyword)) return undefined;
  const expected =
    error.keyword === 'type'
      ? `must be ${String((error.params as { type: string | string[] }).type)}`
      : `must be one of ${JSON.stringify((error.params as { allowedValues?: unknown[] }).allowedValues ?? [(error.params as { allowedValue?: unknown }).allowedValue])}`;
  return { path: at, text: `\`${dotted(at)}\` ${expected} in ${label}'s values schema` };
}

/**
 * A chart that refuses to render says why in its own words (z2jh's NOTES.txt fails a renamed key with
 * its new name): the message, located at the first key it names that the values set.
 */
export function chartRenderProblem(
  message: string,
  values: Record<string, unknown>,
  sources: readonly ValuesSource[],
): string {
  const said = message
    .split('\n')
    .map((line) => line.replace(/^Error: /, '').replace(/^execution error at \([^)]*\): /, ''))
    .filter((line) => line.trim() && !/^Use --debug/.test(line))
    .join(' ');
  for (const match of said.matchAll(/\b[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)+\b/g)) {
    const path = match[0].split('.');
    if (valueAt(values, path) !== undefined) return `${locate(sources, path)}${said}`;
  }
  return said;
}
