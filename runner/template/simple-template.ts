import type { TemplateContext } from './check-names.js';

/** Text with `{{ name.key }}` lookups only: the shape of almost every step argument. */
type SimplePart = { text: string } | { path: string[] };

const dottedName = '[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*';
const wholeName = new RegExp(`^${dottedName}$`);
const lookup = new RegExp(`\\{\\{[ \\t]*(${dottedName})[ \\t]*\\}\\}`, 'g');
// Words nunjucks reads as literals or operators, and the names it binds itself.
const notVariables = new Set([
  'true',
  'false',
  'none',
  'null',
  'not',
  'and',
  'or',
  'in',
  'is',
  'if',
  'else',
  'loop',
  'caller',
  'range',
  'cycler',
  'joiner',
]);

/** The keys of a `name.key` text that nunjucks would read as a plain variable lookup. */
function variablePath(text: string): string[] | undefined {
  const path = text.split('.');
  return path.some((segment) => notVariables.has(segment)) ? undefined : path;
}

const delimiters = /\{\{|\}\}|\{%|%\}|\{#|#\}/;

const parsed = new Map<string, SimplePart[] | null>();

function parse(source: string): SimplePart[] | null {
  const parts: SimplePart[] = [];
  let end = 0;
  for (const match of source.matchAll(lookup)) {
    const text = source.slice(end, match.index);
    // A brace just before would make nunjucks open the tag one character earlier.
    if (delimiters.test(text) || text.endsWith('{')) return null;
    if (text) parts.push({ text });
    const path = variablePath(match[1]!);
    if (!path) return null;
    parts.push({ path });
    end = match.index + match[0].length;
  }
  const rest = source.slice(end);
  if (delimiters.test(rest)) return null;
  if (rest) parts.push({ text: rest });
  return parts.some((part) => 'path' in part) ? parts : null;
}

/** The value at a path, when every step is an own, defined, non-function property; otherwise the full engine decides. */
function resolve(path: readonly string[], context: TemplateContext): { value: unknown } | undefined {
  let value: unknown = context;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
    if (value === undefined || typeof value === 'function') return undefined;
  }
  return { value };
}

/**
 * Renders a simple template without nunjucks, exactly as nunjucks would (property-tested against it);
 * undefined whenever the text or the values are not that simple, so the caller falls back to nunjucks.
 * A text that is one lookup gives the value itself, keeping its type.
 */
export function renderSimpleTemplate(source: string, context: TemplateContext): { value: unknown } | undefined {
  let parts = parsed.get(source);
  if (parts === undefined) {
    parts = parse(source);
    parsed.set(source, parts);
  }
  if (!parts) return undefined;
  if (parts.length === 1) {
    const [only] = parts;
    return only && 'path' in only ? resolve(only.path, context) : undefined;
  }
  let text = '';
  for (const part of parts) {
    if ('text' in part) {
      text += part.text;
      continue;
    }
    const found = resolve(part.path, context);
    const value = found?.value;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    text += String(value);
  }
  return { value: text };
}

/** Evaluates a bare `name.key` expression the same way; undefined when it is anything more. */
export function evaluateSimpleExpression(expression: string, context: TemplateContext): { value: unknown } | undefined {
  const text = expression.trim();
  const path = wholeName.test(text) ? variablePath(text) : undefined;
  return path && resolve(path, context);
}
