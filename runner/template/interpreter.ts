import type { TemplateNode } from './template-names.js';
import { RenderBudget } from './template-budget.js';
import { TemplateError } from './template-error.js';
import { TemplateRefusal, isRefusal } from './template-refusal.js';
import { filterNamed, testNamed } from './template-filters.js';
import { noteRead } from './secret-taint.js';
import { isIn, isMarkedText, jsText, looselyEqual, operand, ownData, textOf } from './template-values.js';

/**
 * Runs a template by walking its parse tree: no template text ever becomes JavaScript source. Each
 * node is evaluated here with the meaning nunjucks' compiler gives it, over data only, and charged
 * to the render's budget as it runs. Where the JavaScript nunjucks writes groups otherwise than its
 * own tree (`not a + b`, `a ~ b + c`), the tree's grouping, Jinja's, is the one taken.
 */

type Scope = { vars: Record<string, unknown>; parent?: Scope };

/** Deepest a template's nodes may nest: deeper is no template a person writes, and would exhaust the stack. */
const maxDepth = 500;

const child = (node: TemplateNode, field: string) => node[field] as TemplateNode;
const childrenOf = (node: TemplateNode) => (node['children'] as TemplateNode[] | undefined) ?? [];

function positionOf(node: TemplateNode): { line: number; col: number } | undefined {
  return node.lineno !== undefined ? { line: node.lineno + 1, col: (node.colno ?? 0) + 1 } : undefined;
}

/** An error at a node: the message of whatever failed there, with the node's place in the text. */
function placed(node: TemplateNode, error: unknown): TemplateError {
  if (error instanceof TemplateError && error.position) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TemplateError(message, undefined, positionOf(node), isRefusal(error));
}

const undefinedOutput = 'attempted to output null or undefined value';

class Interpreter {
  private depth = 0;

  constructor(
    private readonly context: Record<string, unknown>,
    private readonly budget: RenderBudget,
  ) {}

  /** Runs statements, appending what they output to `out`. */
  run(node: TemplateNode | null | undefined, scope: Scope, out: { text: string }): void {
    if (!node) return;
    this.enter(node);
    try {
      switch (node.typename) {
        case 'Root':
        case 'NodeList':
          for (const statement of childrenOf(node)) this.run(statement, scope, out);
          return;
        case 'Output':
          for (const part of childrenOf(node)) this.append(out, this.outputOf(part, scope));
          return;
        case 'If':
          return this.run(
            this.truthy(this.value(child(node, 'cond'), scope)) ? child(node, 'body') : child(node, 'else_'),
            scope,
            out,
          );
        case 'For':
          return this.loop(node, scope, out);
        case 'Set':
          return this.assign(node, scope);
        case 'Switch':
          return this.choose(node, scope, out);
        default:
          throw new TemplateRefusal(
            `${node.typename} cannot be used here: a template reads data, and uses filters, tests, if, for and set`,
          );
      }
    } finally {
      this.depth -= 1;
    }
  }

  /** Evaluates an expression to its value, as nunjucks' compiled JavaScript would. */
  value(node: TemplateNode, scope: Scope): unknown {
    this.enter(node);
    try {
      return this.evaluate(node, scope);
    } finally {
      this.depth -= 1;
    }
  }

  private enter(node: TemplateNode): void {
    this.budget.step();
    if ((this.depth += 1) > maxDepth)
      throw placed(node, new TemplateRefusal(`the template nests deeper than ${maxDepth} levels`));
  }

  private evaluate(node: TemplateNode, scope: Scope): unknown {
    switch (node.typename) {
      case 'Literal':
      case 'TemplateData':
        if (node.value instanceof RegExp)
          throw placed(
            node,
            new TemplateRefusal('regular expressions cannot be used here: use replace() with plain text'),
          );
        return node.value;
      case 'Symbol':
        return this.lookup(String(node.value), scope, node);
      case 'LookupVal':
        return this.member(node, scope);
      case 'Group': {
        let last: unknown;
        for (const item of childrenOf(node)) last = this.value(item, scope);
        return last;
      }
      case 'Array':
        return childrenOf(node).map((item) => this.value(item, scope));
      case 'Dict':
      case 'KeywordArgs':
        return this.dict(node, scope);
      case 'InlineIf':
        return this.truthy(this.value(child(node, 'cond'), scope))
          ? this.value(child(node, 'body'), scope)
          : child(node, 'else_')
            ? this.value(child(node, 'else_'), scope)
            : '';
      case 'Or': {
        const left = this.value(child(node, 'left'), scope);
        return this.truthy(left) ? left : this.value(child(node, 'right'), scope);
      }
      case 'And': {
        const left = this.value(child(node, 'left'), scope);
        return this.truthy(left) ? this.value(child(node, 'right'), scope) : left;
      }
      case 'Not':
        return !this.truthy(this.value(child(node, 'target'), scope));
      case 'Neg':
        return -(operand(this.value(child(node, 'target'), scope)) as number);
      case 'Pos':
        return +(operand(this.value(child(node, 'target'), scope)) as number);
      case 'In':
        return this.guarded(node, () =>
          isIn(this.value(child(node, 'left'), scope), this.value(child(node, 'right'), scope)),
        );
      case 'Is':
        return this.test(node, scope);
      case 'Compare':
        return this.compare(node, scope);
      case 'Filter':
        return this.filter(node, scope);
      case 'FunCall':
        return this.call(node, scope);
      case 'Capture': {
        const out = { text: '' };
        this.run(child(node, 'body'), scope, out);
        return out.text;
      }
      case 'Add':
      case 'Concat':
      case 'Sub':
      case 'Mul':
      case 'Div':
      case 'FloorDiv':
      case 'Mod':
      case 'Pow':
        return this.arithmetic(node, scope);
      default:
        throw placed(
          node,
          new TemplateRefusal(
            `${node.typename} cannot be used here: a template reads data, and uses filters, tests, if, for and set`,
          ),
        );
    }
  }

  private truthy(value: unknown): boolean {
    return Boolean(value);
  }

  private guarded<T>(node: TemplateNode, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw placed(node, error);
    }
  }

  private lookup(name: string, scope: Scope, node: TemplateNode): unknown {
    for (let current: Scope | undefined = scope; current; current = current.parent) {
      if (Object.hasOwn(current.vars, name)) return noteRead(current.vars[name]);
    }
    // The variables as nunjucks copies them into its context: own keys, whatever the object's prototype.
    if (Object.hasOwn(this.context, name)) return noteRead(ownData({ [name]: this.context[name] }, name));
    return this.guarded(node, () => ownData(undefined, name));
  }

  private member(node: TemplateNode, scope: Scope): unknown {
    const target = this.value(child(node, 'target'), scope);
    const key = this.value(child(node, 'val'), scope);
    return noteRead(this.guarded(node, () => ownData(target, key)));
  }

  private dict(node: TemplateNode, scope: Scope): Record<string, unknown> {
    const made: Record<string, unknown> = {};
    for (const pair of childrenOf(node)) {
      const keyNode = child(pair, 'key');
      const key = keyNode.typename === 'Symbol' ? String(keyNode.value) : this.value(keyNode, scope);
      if (typeof key !== 'string') throw placed(keyNode, new Error('a map key must be a string or a name'));
      Object.defineProperty(made, key, {
        value: this.value(child(pair, 'value'), scope),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (node.typename === 'KeywordArgs') Object.defineProperty(made, '__keywords', { value: true, enumerable: true });
    return made;
  }

  private arguments(list: TemplateNode | undefined, scope: Scope): unknown[] {
    return list ? childrenOf(list).map((item) => this.value(item, scope)) : [];
  }

  private filter(node: TemplateNode, scope: Scope): unknown {
    const name = String(child(node, 'name').value);
    const [input, ...args] = this.arguments(child(node, 'args'), scope);
    const filter = filterNamed(name);
    if (!filter) throw placed(node, new Error(`filter not found: ${name}`));
    return this.guarded(child(node, 'name'), () => filter(input, ...args));
  }

  private test(node: TemplateNode, scope: Scope): boolean {
    const right = child(node, 'right');
    const name = String(right.typename === 'FunCall' ? child(right, 'name').value : right.value);
    const left = this.value(child(node, 'left'), scope);
    const args = right.typename === 'FunCall' ? this.arguments(child(right, 'args'), scope) : [];
    return this.guarded(node, () => testNamed(name)(left, ...args) === true);
  }

  private call(node: TemplateNode, scope: Scope): unknown {
    const callee = child(node, 'name');
    const name = callee.typename === 'Symbol' ? String(callee.value) : undefined;
    const shadowed = name !== undefined && (this.inScope(name, scope) || Object.hasOwn(this.context, name));
    if (name !== 'range' || shadowed)
      throw placed(
        node,
        new TemplateRefusal(
          `${name ? `${name}()` : 'calling a function'} cannot be used here: a template reads data, and the only function it may call is range()`,
        ),
      );
    const [start, stop, step = 1] = this.arguments(child(node, 'args'), scope).map((arg) => Number(operand(arg)));
    return this.guarded(node, () => this.range(start ?? 0, stop, step));
  }

  private range(start: number, stop: number | undefined, step: number): number[] {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    const count = step === 0 ? Infinity : Math.max(0, Math.ceil((to - from) / step));
    this.budget.range(count);
    return Array.from({ length: count }, (_, index) => from + index * step);
  }

  private inScope(name: string, scope: Scope): boolean {
    for (let current: Scope | undefined = scope; current; current = current.parent)
      if (Object.hasOwn(current.vars, name)) return true;
    return false;
  }

  /**
   * A chain such as `a == b < c`, as the JavaScript nunjucks compiles it reads one: every operand
   * left to right, then the orderings (<, >, <=, >=) before the equalities (==, !=, ===, !==).
   */
  private compare(node: TemplateNode, scope: Scope): unknown {
    const values = [this.value(child(node, 'expr'), scope)];
    const ops = (node['ops'] as TemplateNode[]).map((op) => {
      values.push(this.value(child(op, 'expr'), scope));
      return String(op['type']);
    });
    let at = 0;
    const ordering = () => {
      let result = values[at];
      while (at < ops.length && !equalities.has(ops[at]!)) {
        result = compareValues(result, ops[at]!, values[at + 1]);
        at += 1;
      }
      return result;
    };
    let result = ordering();
    while (at < ops.length) {
      const op = ops[at]!;
      at += 1;
      result = compareValues(result, op, ordering());
    }
    return result;
  }

  private arithmetic(node: TemplateNode, scope: Scope): unknown {
    const left = this.value(child(node, 'left'), scope);
    const right = this.value(child(node, 'right'), scope);
    const result = arithmetic(node.typename, left, right);
    if (typeof result === 'string') this.guarded(node, () => this.budget.text(result.length));
    return result;
  }

  private outputOf(part: TemplateNode, scope: Scope): string {
    if (part.typename === 'TemplateData') return String(part.value ?? '');
    const value = this.value(part, scope);
    if (value === null || value === undefined) throw placed(part, new Error(undefinedOutput));
    return textOf(value);
  }

  private append(out: { text: string }, text: string): void {
    this.budget.text(out.text.length + text.length);
    out.text += text;
  }

  private assign(node: TemplateNode, scope: Scope): void {
    const value = child(node, 'value')
      ? this.value(child(node, 'value'), scope)
      : this.value(child(node, 'body'), scope);
    for (const target of node['targets'] as TemplateNode[]) {
      const name = String(target.value);
      let owner: Scope = scope;
      for (let current: Scope | undefined = scope; current; current = current.parent) {
        if (Object.hasOwn(current.vars, name)) {
          owner = current;
          break;
        }
      }
      owner.vars[name] = value;
    }
  }

  private choose(node: TemplateNode, scope: Scope, out: { text: string }): void {
    const subject = this.value(child(node, 'expr'), scope);
    const cases = node['cases'] as TemplateNode[];
    let matched = cases.findIndex((option) => this.value(child(option, 'cond'), scope) === subject);
    if (matched === -1) return this.run(child(node, 'default'), scope, out);
    // A case with no body falls through to the next, as in the switch nunjucks compiles.
    for (; matched < cases.length; matched += 1) {
      const body = child(cases[matched]!, 'body');
      this.run(body, scope, out);
      if (childrenOf(body).length > 0) return;
    }
    this.run(child(node, 'default'), scope, out);
  }

  private loop(node: TemplateNode, scope: Scope, out: { text: string }): void {
    const names = child(node, 'name');
    const given = this.value(child(node, 'arr'), scope);
    // nunjucks loops over a marked-safe string as over any iterable: its characters.
    const items = typeof given === 'object' && given !== null && isMarkedText(given) ? [...given.val] : given;
    const inner: Scope = { vars: Object.create(null) as Record<string, unknown>, parent: scope };
    let length: number | undefined;
    const pass = (index: number, bind: () => void) => {
      this.budget.iteration();
      bind();
      inner.vars['loop'] = {
        index: index + 1,
        index0: index,
        revindex: length! - index,
        revindex0: length! - index - 1,
        first: index === 0,
        last: index === length! - 1,
        length,
      };
      this.run(child(node, 'body'), inner, out);
    };
    if (items) {
      const list = items as ArrayLike<unknown> & Record<string, unknown>;
      if (names.typename === 'Array') {
        const targets = childrenOf(names).map((target) => String(target.value));
        if (Array.isArray(items)) {
          length = items.length;
          for (let index = 0; index < items.length; index += 1)
            pass(index, () => targets.forEach((target, at) => (inner.vars[target] = itemAt(items[index], at))));
        } else {
          const keys = typeof items === 'string' ? Object.keys([...items]) : Object.keys(list);
          length = keys.length;
          const [keyName, valueName] = targets;
          keys.forEach((key, index) =>
            pass(index, () => {
              if (keyName !== undefined) inner.vars[keyName] = key;
              if (valueName !== undefined)
                inner.vars[valueName] = typeof items === 'string' ? items[Number(key)] : ownData(items, key);
            }),
          );
        }
      } else if (typeof items === 'string' || Array.isArray(items)) {
        length = items.length;
        const target = String(names.value);
        for (let index = 0; index < items.length; index += 1) pass(index, () => (inner.vars[target] = items[index]));
      }
    }
    if (!length && child(node, 'else_')) this.run(child(node, 'else_'), inner, out);
  }
}

/** The u-th name of a `for a, b in list` pass: the item's u-th element, or nothing. */
function itemAt(item: unknown, at: number): unknown {
  if (typeof item === 'string') return item[at];
  return Array.isArray(item) ? item[at] : ownData(item, at);
}

const equalities = new Set(['==', '!=', '===', '!==']);

function compareValues(left: unknown, op: string, right: unknown): boolean {
  const [a, b] = [operand(left), operand(right)] as [number, number];
  switch (op) {
    case '==':
      return looselyEqual(left, right);
    case '!=':
      return !looselyEqual(left, right);
    case '===':
      return left === right;
    case '!==':
      return left !== right;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    default:
      throw new TemplateRefusal(`the comparison ${op} cannot be used here`);
  }
}

function arithmetic(kind: string, left: unknown, right: unknown): unknown {
  const [a, b] = [operand(left), operand(right)] as [number, number];
  switch (kind) {
    case 'Add':
      return a + b;
    case 'Concat':
      return jsText(left) + jsText(right);
    case 'Sub':
      return a - b;
    case 'Mul':
      return a * b;
    case 'Div':
      return a / b;
    case 'FloorDiv':
      return Math.floor(a / b);
    case 'Mod':
      return a % b;
    default:
      return Math.pow(a, b);
  }
}

const rootScope = (): Scope => ({ vars: Object.create(null) as Record<string, unknown> });

/** Renders a parsed template to text within `budget`. */
export function interpretTemplate(root: TemplateNode, context: Record<string, unknown>, budget: RenderBudget): string {
  const out = { text: '' };
  new Interpreter(context, budget).run(root, rootScope(), out);
  return out.text;
}

/** Evaluates one parsed expression to its native value within `budget`. */
export function interpretExpression(
  expression: TemplateNode,
  context: Record<string, unknown>,
  budget: RenderBudget,
): unknown {
  return new Interpreter(context, budget).value(expression, rootScope());
}
