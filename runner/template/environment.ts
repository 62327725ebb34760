import nunjucks from 'nunjucks';
import { addPrivateCallable, installSafeRuntime, resetRenderBudget } from './safe-runtime.js';
import { checkRenderedSize, maxFilterWidth, TemplateLimitError } from './template-limits.js';
import { noteFiltered, tracked } from './secret-taint.js';

let environment: nunjucks.Environment | undefined;

/** One strict environment: an undefined variable is an error, never an empty string. */
export function templateEnvironment(): nunjucks.Environment {
  environment ??= createEnvironment();
  return environment;
}

/** nunjucks' filters a template here may use: none reads an attribute by name or draws at random. */
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
  'striptags',
  'title',
  'trim',
  'truncate',
  'upper',
  'urlencode',
  'urlize',
  'wordcount',
  'sort',
  'sum',
];

/** The argument of each filter that sets a width, which a template could make as large as memory. */
const widthArgument: Record<string, number> = { center: 0, indent: 0, batch: 0 };

function bounded(name: string, filter: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function (this: unknown, value: unknown, ...args: unknown[]) {
    const width = widthArgument[name];
    if (width !== undefined && Math.abs(Number(args[width] ?? 0)) > maxFilterWidth)
      throw new TemplateLimitError(
        `${name}(${String(args[width])}) is wider than a filter may make (${maxFilterWidth})`,
      );
    // sort and sum read an attribute by name only when given one: here they sort and add the values themselves.
    if ((name === 'sort' && args[2] !== undefined) || (name === 'sum' && args[0] !== undefined))
      throw new TemplateLimitError(`${name} by attribute cannot be used here: a template reads data, not attributes`);
    const result = filter.call(this, value, ...args);
    checkRenderedSize(result);
    noteFiltered([value, ...args], result);
    return result;
  };
}

function createEnvironment(): nunjucks.Environment {
  installSafeRuntime();
  // dev keeps the error a template threw as the cause of the one nunjucks reports, so a refusal stays one.
  const env = new nunjucks.Environment(null, {
    throwOnUndefined: true,
    autoescape: false,
    trimBlocks: true,
    lstripBlocks: true,
    dev: true,
  });
  const builtins = (env as unknown as { filters: Record<string, (...args: unknown[]) => unknown> }).filters;
  const filters: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of documentedFilters) filters[name] = bounded(name, builtins[name]!);
  (env as unknown as { filters: typeof filters }).filters = filters;
  (env as unknown as { globals: Record<string, unknown> }).globals = {};
  env.addFilter(
    'to_yaml',
    bounded('to_yaml', (value: unknown) => JSON.stringify(value)),
  );
  env.addFilter(
    'to_json',
    bounded('to_json', (value: unknown) => JSON.stringify(value)),
  );
  env.addFilter(
    'b64encode',
    bounded('b64encode', (value: unknown) => Buffer.from(String(value), 'utf8').toString('base64')),
  );
  env.addFilter(
    'b64decode',
    bounded('b64decode', (value: unknown) => Buffer.from(String(value), 'base64').toString('utf8')),
  );
  return env;
}

const compiledTemplates = new Map<string, nunjucks.Template>();

/** Renders a playbook string, compiling each distinct text once. */
export function renderTemplate(source: string, context: Record<string, unknown>): string {
  let template = compiledTemplates.get(source);
  if (!template) {
    template = new nunjucks.Template(source, templateEnvironment(), undefined, true);
    compiledTemplates.set(source, template);
  }
  resetRenderBudget();
  const text = tracked(() => template!.render(context));
  checkRenderedSize(text);
  return text;
}

/** A template text rendered with nunjucks' whole syntax (a file's content), within the same limits. */
export function renderWholeText(source: string, context: Record<string, unknown>): string {
  resetRenderBudget();
  const text = tracked(() => templateEnvironment().renderString(source, context));
  checkRenderedSize(text);
  return text;
}

const captured: unknown[] = [];
// A name no template can write (the rules refuse names starting with __): only the runner's own wrapper calls it.
const captureName = '__jhub_capture';
addPrivateCallable(captureName, ((value: unknown) => {
  captured.push(value);
  return '';
}) as (...args: never[]) => unknown);

/** Evaluates an expression to its native value; rendering is synchronous, so one capture slot suffices. */
export function captureExpression(expression: string, context: Record<string, unknown>): unknown {
  return tracked(() => {
    captured.length = 0;
    renderTemplate(`{{ ${captureName}((${expression})) }}`, context);
    return captured[0];
  });
}

export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/** Whether a filter exists: one of nunjucks' documented ones, or one added here. */
export function knownFilter(name: string): boolean {
  return Object.hasOwn((templateEnvironment() as unknown as { filters: Record<string, unknown> }).filters, name);
}

/** The filter names a did-you-mean can offer. */
export function filterList(): string[] {
  return Object.keys((templateEnvironment() as unknown as { filters: Record<string, unknown> }).filters);
}
