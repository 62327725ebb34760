import nunjucksFilters from 'nunjucks/src/filters.js';
import nunjucksRuntime from 'nunjucks/src/runtime.js';
import nunjucksTests from 'nunjucks/src/tests.js';
import { maxFilterWidth, maxRenderedChars, TemplateLimitError, checkRenderedSize } from './template-limits.js';
import { noteFiltered } from './secret-taint.js';
import { textOf } from './template-values.js';

type Filter = (this: FilterThis, value: unknown, ...args: unknown[]) => unknown;
type Test = (value: unknown, ...args: unknown[]) => unknown;

/** What nunjucks' own filters read of `this`: select and reject find a test by name, sort reads one option. */
interface FilterThis {
  env: { getTest(name: string): Test; opts: { throwOnUndefined: boolean } };
}

/**
 * nunjucks' filters a template here may use. None reads an attribute by name, draws at random, or runs
 * a regular expression that can backtrack over hostile text (striptags and urlize can; they are not offered).
 */
const documentedFilters = [
  'abs',
  'batch',
  'capitalize',
  'center',
  'default',
  'd',
  'dictsort',
  'dump',
  'escape',
  'e',
  'first',
  'float',
  'forceescape',
  'indent',
  'int',
  'join',
  'last',
  'length',
  'list',
  'lower',
  'nl2br',
  'reject',
  'select',
  'replace',
  'reverse',
  'round',
  'safe',
  'slice',
  'string',
  'title',
  'trim',
  'truncate',
  'upper',
  'urlencode',
  'wordcount',
  'sort',
  'sum',
];

/** nunjucks' tests (`is odd`, `select("odd")`): each compares or classifies a value, none reads a name. */
const documentedTests = [
  'callable',
  'defined',
  'divisibleby',
  'escaped',
  'equalto',
  'eq',
  'sameas',
  'even',
  'falsy',
  'ge',
  'greaterthan',
  'gt',
  'le',
  'lessthan',
  'lt',
  'lower',
  'ne',
  'null',
  'number',
  'odd',
  'string',
  'truthy',
  'undefined',
  'upper',
  'iterable',
  'mapping',
];

const width = (name: string, value: unknown) => {
  if (Math.abs(Number(value ?? 0)) > maxFilterWidth)
    throw new TemplateLimitError(`${name}(${String(value)}) is wider than a filter may make (${maxFilterWidth})`);
};

const lengthOf = (value: unknown) => (typeof value === 'string' || Array.isArray(value) ? value.length : 0);

/** How many times `part` occurs in `text`, counting no further than `most`. */
function occurrences(text: string, part: string, most: number): number {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1 && count < most; at = text.indexOf(part, at + part.length)) count += 1;
  return count;
}

/**
 * For each filter that can make more than it was given, the size of what it would make, known from
 * its arguments before it makes it: a filter over the limit is refused before it allocates.
 */
const sizeBefore: Record<string, (value: unknown, args: unknown[]) => number> = {
  center: (value, [size]) => (width('center', size), Math.max(lengthOf(textOf(value)), Number(size ?? 80))),
  indent: (value, [size]) => {
    width('indent', size);
    const text = textOf(value);
    return text.length + occurrences(text, '\n', Infinity) * Number(size ?? 4) + Number(size ?? 4);
  },
  batch: (value, [size]) => (width('batch', size), lengthOf(value) + Math.abs(Number(size ?? 0))),
  slice: (value, [slices]) => (width('slice', slices), lengthOf(value) + Math.abs(Number(slices ?? 0))),
  nl2br: (value) => textOf(value).length * 7,
  join: (value, [separator, attribute]) => {
    if (attribute !== undefined)
      throw new TemplateLimitError('join by attribute cannot be used here: a template reads data, not attributes');
    if (!Array.isArray(value)) return 0;
    const gaps = Math.max(0, value.length - 1) * textOf(separator ?? '').length;
    return value.reduce<number>((sum, item) => sum + textOf(item).length, gaps);
  },
  replace: (value, [old, replacement, most]) => {
    const text = textOf(value);
    const part = typeof old === 'number' ? String(old) : old;
    if (typeof part !== 'string') return text.length;
    const count = part === '' ? text.length + 1 : occurrences(text, part, most === undefined ? Infinity : Number(most));
    return text.length + count * textOf(replacement).length;
  },
};

const { copySafeness, SafeString } = nunjucksRuntime;

/** Spaces as nunjucks' repeat counts them (every i below n), made at once rather than one by one. */
const spaces = (count: number) => ' '.repeat(count > 0 ? Math.ceil(count) : 0);

const normalize = (value: unknown) => (value === null || value === undefined || value === false ? '' : value);

/** nunjucks' center, its result flat: its own builds the padding a space at a time, which costs seconds in a loop. */
function center(value: unknown, size?: unknown): unknown {
  const text = normalize(value) as string;
  const wide = (size as number) || 80;
  if (text.length >= wide) return text;
  const gap = wide - text.length;
  return copySafeness(text, spaces(gap / 2 - (gap % 2)) + text + spaces(gap / 2));
}

/** nunjucks' indent, its padding made as center's is. */
function indent(value: unknown, size?: unknown, first?: unknown): unknown {
  const text = normalize(value) as string;
  if (text === '') return '';
  if (typeof text !== 'string' && !((text as object) instanceof SafeString)) throw new TypeError('indent indents text');
  const pad = spaces((size as number) || 4);
  const lines = String(text).split('\n');
  return copySafeness(text, lines.map((line, index) => (index === 0 && !first ? line : `${pad}${line}`)).join('\n'));
}

function bounded(name: string, filter: Filter): Filter {
  return function (this: FilterThis, value: unknown, ...args: unknown[]) {
    // sort and sum read an attribute by name only when given one: here they sort and add the values themselves.
    if ((name === 'sort' && args[2] !== undefined) || (name === 'sum' && args[0] !== undefined))
      throw new TemplateLimitError(`${name} by attribute cannot be used here: a template reads data, not attributes`);
    const size = sizeBefore[name]?.(value, args);
    if (size !== undefined && size > maxRenderedChars)
      throw new TemplateLimitError(`${name} would make ${size} characters; the limit is ${maxRenderedChars}`);
    const result = filter.call(this, value, ...args);
    checkRenderedSize(result);
    noteFiltered([value, ...args], result);
    return result;
  };
}

function ownFilters(): { filters: Record<string, Filter>; tests: Record<string, Test>; self: FilterThis } {
  // Null-prototype tables: a name a template or its data gives finds an entry here or nothing.
  const filters: Record<string, Filter> = Object.create(null);
  for (const name of documentedFilters) filters[name] = bounded(name, nunjucksFilters[name]! as Filter);
  // Ours replace nunjucks' own below: the same results, made in one piece.
  const added: Record<string, Filter> = {
    center,
    indent,
    to_yaml: (value) => JSON.stringify(value),
    to_json: (value) => JSON.stringify(value),
    b64encode: (value) => Buffer.from(String(value), 'utf8').toString('base64'),
    b64decode: (value) => Buffer.from(String(value), 'base64').toString('utf8'),
  };
  for (const [name, filter] of Object.entries(added)) filters[name] = bounded(name, filter);
  const tests: Record<string, Test> = Object.create(null);
  for (const name of documentedTests) tests[name] = nunjucksTests[name]!;
  const getTest = (name: string) => {
    const test = typeof name === 'string' && Object.hasOwn(tests, name) ? tests[name] : undefined;
    if (!test) throw new Error(`test not found: ${textOf(name)}`);
    return test;
  };
  return { filters, tests, self: { env: { getTest, opts: { throwOnUndefined: true } } } };
}

let table: ReturnType<typeof ownFilters> | undefined;
const tables = () => (table ??= ownFilters());

/** A filter by name, bound to what it may read; undefined for a name that is not one. */
export function filterNamed(name: string): ((value: unknown, ...args: unknown[]) => unknown) | undefined {
  const { filters, self } = tables();
  const filter = Object.hasOwn(filters, name) ? filters[name] : undefined;
  return filter && ((value, ...args) => filter.call(self, value, ...args));
}

/** A test by name (`is odd`); throws nunjucks' own "test not found" for one that is not. */
export function testNamed(name: string): Test {
  return tables().self.env.getTest(name);
}

/** Whether a filter exists: one of nunjucks' documented ones, or one added here. */
export function knownFilter(name: string): boolean {
  return Object.hasOwn(tables().filters, name);
}

/** The filter names a did-you-mean can offer. */
export function filterList(): string[] {
  return Object.keys(tables().filters);
}
