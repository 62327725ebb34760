import { parseTemplate, type TemplateNode } from './template-names.js';
import { TemplateError } from './template-error.js';

/** What a template here may be made of: data, lookups, operators, filters, tests, if, for and set. */
const allowedNodes = new Set([
  'Root',
  'NodeList',
  'Output',
  'TemplateData',
  'Literal',
  'Symbol',
  'Group',
  'Array',
  'Pair',
  'Dict',
  'LookupVal',
  'If',
  'InlineIf',
  'For',
  'Set',
  'Capture',
  'Switch',
  'Case',
  'Filter',
  'KeywordArgs',
  'In',
  'Is',
  'Or',
  'And',
  'Not',
  'Add',
  'Concat',
  'Sub',
  'Mul',
  'Div',
  'FloorDiv',
  'Mod',
  'Pow',
  'Neg',
  'Pos',
  'Compare',
  'CompareOperand',
  'FunCall',
]);

/** The one function a template may call; everything else it uses is a filter or a test. */
export const callableGlobals = new Set(['range']);

/** Names that reach into JavaScript rather than into data. */
const deniedKeys = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'valueOf',
  'toString',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
]);

const described: Record<string, string> = {
  Macro: 'macros',
  Caller: 'call blocks',
  Import: 'imports',
  FromImport: 'imports',
  Include: 'includes',
  Extends: 'extends',
  Block: 'blocks',
  Super: 'super()',
  IfAsync: 'async tags',
  AsyncEach: 'async tags',
  AsyncAll: 'async tags',
  FilterAsync: 'async filters',
  CallExtension: 'extensions',
  CallExtensionAsync: 'extensions',
  TemplateRef: 'template references',
};

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && typeof (value as TemplateNode).typename === 'string';
}

function fail(node: TemplateNode, message: string): never {
  throw new TemplateError(
    message,
    undefined,
    node.lineno !== undefined ? { line: node.lineno + 1, col: (node.colno ?? 0) + 1 } : undefined,
    true,
  );
}

/** What a name in a template may be: a plain identifier, whatever nunjucks' lexer lets through. */
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkIdentifier(node: TemplateNode, name: unknown, what: string): void {
  if (typeof name !== 'string' || !identifier.test(name))
    fail(node, `${JSON.stringify(String(name))} is not a ${what}: names are letters, digits and _`);
}

function checkName(node: TemplateNode, name: string): void {
  if (name.startsWith('__') || deniedKeys.has(name))
    fail(node, `'${name}' is not data: a template reads only the values of variables and their keys`);
}

function checkNode(node: TemplateNode, insideFor: boolean, testCall: boolean): void {
  if (!allowedNodes.has(node.typename))
    fail(
      node,
      `${described[node.typename] ?? node.typename} cannot be used here: a template reads data, and uses filters, tests, if, for and set`,
    );
  if (node.typename === 'Symbol') {
    checkIdentifier(node, node.value, 'name');
    checkName(node, String(node.value));
  }
  if (node.typename === 'Literal' && node.value instanceof RegExp)
    fail(node, 'regular expressions cannot be used here: use replace() with plain text');
  if (node.typename === 'LookupVal' && isNode(node['val']) && node['val'].typename === 'Literal')
    checkName(node['val'], String(node['val'].value));
  if (node.typename === 'Set' && insideFor)
    fail(node, 'set inside a for loop cannot be used here: a value built up loop by loop has no bound');
  if (node.typename === 'Is') {
    const test = node['right'];
    // `is none` reaches nunjucks as the literal none, which it reads as its test `null`.
    const named =
      isNode(test) &&
      (test.typename === 'Symbol' ||
        (test.typename === 'Literal' && test.value === null) ||
        (test.typename === 'FunCall' && isNode(test['name']) && test['name'].typename === 'Symbol'));
    if (!named) fail(node, "'is' names a test (is defined, is divisibleby(3)), nothing else");
  }
  if (node.typename === 'FunCall' && !testCall) {
    const callee = node['name'];
    const name = isNode(callee) && callee.typename === 'Symbol' ? String(callee.value) : undefined;
    if (!name || !callableGlobals.has(name))
      fail(
        node,
        `${name ? `${name}()` : 'calling a function'} cannot be used here: a template reads data, and the only function it may call is range(); use a filter (| upper, | join...) instead`,
      );
  }
  for (const field of node.fields) {
    const value = node[field];
    const isTestArgument = node.typename === 'Is' && field === 'right';
    for (const child of Array.isArray(value) ? value : [value]) {
      if (isNode(child))
        checkNode(child, insideFor || node.typename === 'For', isTestArgument && child.typename === 'FunCall');
    }
  }
}

/** Texts already found to keep the rules: a playbook checks the same few strings at preflight, plan and run. */
const allowedTexts = new Set<string>();

/**
 * A template here is data, not code: lookups of variables and their keys, operators, documented filters
 * and tests, if, for and set. Anything that could reach JavaScript (constructor, __proto__, calling a
 * function, macros, includes) is refused before anything renders, with its position in the text.
 */
export function checkTemplateRules(source: string): void {
  if (allowedTexts.has(source)) return;
  checkNode(parseTemplate(source), false, false);
  allowedTexts.add(source);
}
