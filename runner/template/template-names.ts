import nunjucksParser from 'nunjucks/src/parser.js';
import { TemplateRefusal } from './template-refusal.js';

/** A node of nunjucks' parse tree, as the checks over it read one. */
export interface TemplateNode {
  typename: string;
  fields: string[];
  value?: unknown;
  lineno?: number;
  colno?: number;
  [field: string]: unknown;
}

/** A variable reference such as `site.domain`: its top-level name and the literal keys read from it. */
export interface NameReference {
  path: string[];
  /** 1-based position in the template text. */
  line: number;
  col: number;
  /** Guarded by `| default(...)` or `is defined`, so it may legitimately be absent. */
  guarded: boolean;
}

const guardingTests = new Set(['defined', 'undefined', 'none']);
const guardingFilters = new Set(['default', 'd']);

const parsedTemplates = new Map<string, TemplateNode>();

/** Parsed once per distinct text: a playbook renders the same few strings at preflight, plan and run. */
export function parseTemplate(source: string): TemplateNode {
  let root = parsedTemplates.get(source);
  if (!root) {
    try {
      // Blocks trimmed as the runner has always rendered them: a block tag's own line leaves no blank line.
      root = nunjucksParser.parse(source, [], { trimBlocks: true, lstripBlocks: true }) as TemplateNode;
    } catch (error) {
      if (error instanceof RangeError) throw new TemplateRefusal('the template nests too deeply to read');
      throw error;
    }
    parsedTemplates.set(source, root);
  }
  return root;
}

const namesOfTemplates = new Map<string, readonly NameReference[]>();

/** Every variable the template reads, so undefined ones can be named before anything renders; found once per distinct text. */
export function referencedNames(source: string): readonly NameReference[] {
  let names = namesOfTemplates.get(source);
  if (!names) {
    names = Object.freeze(findReferencedNames(source));
    namesOfTemplates.set(source, names);
  }
  return names;
}

function findReferencedNames(source: string): NameReference[] {
  const root = parseTemplate(source);
  const bound = new Set<string>(['loop', 'caller', 'range', 'cycler', 'joiner']);
  collectBound(root, bound);
  const found: NameReference[] = [];
  visit(root, false, new Set(), (reference) => {
    if (!bound.has(reference.path[0]!)) found.push(reference);
  });
  return found;
}

function children(node: TemplateNode): unknown[] {
  const list: unknown[] = [];
  for (const field of node.fields) {
    const value = node[field];
    if (Array.isArray(value)) list.push(...value);
    else list.push(value);
  }
  return list;
}

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && typeof (value as TemplateNode).typename === 'string';
}

function collectBound(node: unknown, bound: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((child) => collectBound(child, bound));
  if (!isNode(node)) return;
  const type = node.typename;
  if (type === 'For' || type === 'AsyncEach' || type === 'AsyncAll') bindTargets(node['name'], bound);
  if (type === 'Set') (node['targets'] as unknown[]).forEach((target) => bindTargets(target, bound));
  if (type === 'Macro') {
    bindTargets(node['name'], bound);
    collectArgs(node['args'], bound);
  }
  for (const child of children(node)) collectBound(child, bound);
}

function bindTargets(target: unknown, bound: Set<string>): void {
  if (Array.isArray(target)) return target.forEach((item) => bindTargets(item, bound));
  if (!isNode(target)) return;
  if (target.typename === 'Symbol') bound.add(String(target.value));
  else for (const child of children(target)) bindTargets(child, bound);
}

function collectArgs(args: unknown, bound: Set<string>): void {
  if (!isNode(args)) return;
  for (const child of children(args)) {
    if (isNode(child) && child.typename === 'Symbol') bound.add(String(child.value));
    if (isNode(child) && child.typename === 'KeywordArgs') {
      for (const pair of children(child)) if (isNode(pair) && isNode(pair['key'])) bound.add(String(pair['key'].value));
    }
  }
}

function lookupPath(node: TemplateNode): string[] | undefined {
  if (node.typename === 'Symbol') return [String(node.value)];
  if (node.typename !== 'LookupVal') return undefined;
  const target = node['target'] as TemplateNode;
  const key = node['val'] as TemplateNode;
  const base = isNode(target) ? lookupPath(target) : undefined;
  if (!base) return undefined;
  if (isNode(key) && key.typename === 'Literal' && typeof key.value === 'string') return [...base, key.value];
  return base;
}

function testedAsDefined(condition: unknown, into: Set<string>): Set<string> {
  if (!isNode(condition)) return into;
  if (condition.typename === 'Is' && isNode(condition['right']) && String(condition['right'].value) === 'defined') {
    const path = isNode(condition['left']) ? lookupPath(condition['left']) : undefined;
    if (path) into.add(path.join('.'));
  }
  if (condition.typename === 'And') {
    testedAsDefined(condition['left'], into);
    testedAsDefined(condition['right'], into);
  }
  return into;
}

type Report = (reference: NameReference) => void;

function visit(node: unknown, guarded: boolean, defined: Set<string>, report: Report): void {
  if (Array.isArray(node)) return node.forEach((child) => visit(child, guarded, defined, report));
  if (!isNode(node)) return;
  const type = node.typename;
  if (type === 'Symbol' || type === 'LookupVal') {
    const path = lookupPath(node);
    if (path) {
      const isDefinedHere = path.some((_, index) => defined.has(path.slice(0, index + 1).join('.')));
      report({ path, guarded: guarded || isDefinedHere, line: (node.lineno ?? 0) + 1, col: (node.colno ?? 0) + 1 });
      if (type === 'LookupVal') visit(node['val'], guarded, defined, report);
      return;
    }
  }
  if (type === 'If' || type === 'InlineIf') {
    const inner = testedAsDefined(node['cond'], new Set(defined));
    visit(node['cond'], guarded, defined, report);
    visit(node['body'], guarded, inner, report);
    visit(node['else_'], guarded, defined, report);
    return;
  }
  if (type === 'And') {
    visit(node['left'], guarded, defined, report);
    visit(node['right'], guarded, testedAsDefined(node['left'], new Set(defined)), report);
    return;
  }
  if (type === 'Filter' && isNode(node['name']) && guardingFilters.has(String(node['name'].value))) {
    const [input, ...rest] = children(node['args'] as TemplateNode);
    visit(input, true, defined, report);
    visit(rest, guarded, defined, report);
    return;
  }
  if (type === 'Filter') {
    visit(node['args'], guarded, defined, report);
    return;
  }
  if (type === 'Is' && isNode(node['right']) && guardingTests.has(String(node['right'].value))) {
    visit(node['left'], true, defined, report);
    return;
  }
  if (type === 'Is') {
    visit(node['left'], guarded, defined, report);
    return;
  }
  if (type === 'FunCall') {
    visit(node['args'], guarded, defined, report);
    if (!(isNode(node['name']) && node['name'].typename === 'Symbol')) visit(node['name'], guarded, defined, report);
    return;
  }
  for (const child of children(node)) visit(child, guarded, defined, report);
}

/** Every filter the template applies, so an unknown one is named before anything renders. */
export function filterNames(source: string): { name: string; line: number; col: number }[] {
  const found: { name: string; line: number; col: number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isNode(node)) return;
    if (node.typename === 'Filter' && isNode(node['name'])) {
      found.push({
        name: String(node['name'].value),
        line: (node['name'].lineno ?? 0) + 1,
        col: (node['name'].colno ?? 0) + 1,
      });
    }
    for (const child of children(node)) walk(child);
  };
  walk(parseTemplate(source));
  return found;
}
