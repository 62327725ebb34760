import nunjucks from 'nunjucks';
import { TemplateLimitError } from './template-limits.js';
import { TemplateRefusal } from './template-refusal.js';
import { noteRead } from './secret-taint.js';

type Frame = { variables?: Record<string, unknown>; parent?: Frame };
type Runtime = {
  memberLookup(obj: unknown, key: unknown): unknown;
  contextOrFrameLookup(context: { ctx: Record<string, unknown> }, frame: Frame, name: string): unknown;
  callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown;
  inOperator(key: unknown, value: unknown): boolean;
};

/** Most items one render may ask range() for: loops over data are bounded by the data, loops over range() by this. */
export const maxRangeItems = 10_000;

let rangeBudget = maxRangeItems;

/** Called before each render: range() gets its budget again. */
export function resetRenderBudget(): void {
  rangeBudget = maxRangeItems;
}

function range(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, Number(start)] : [Number(start), Number(stop)];
  const count = step === 0 ? Infinity : Math.max(0, Math.ceil((to - from) / Number(step)));
  if (!Number.isFinite(count) || count > rangeBudget)
    throw new TemplateLimitError(
      `range() of ${count} items is more than a template may make (${maxRangeItems} in all)`,
    );
  rangeBudget -= count;
  return Array.from({ length: count }, (_, index) => from + index * Number(step));
}

/** What a template may call by name, and the private capture the runner itself wraps expressions in. */
const globals: Record<string, (...args: never[]) => unknown> = { range };
const callables = new Set<unknown>([range]);

export function addPrivateCallable(name: string, fn: (...args: never[]) => unknown): void {
  globals[name] = fn;
  callables.add(fn);
}

function isPlainData(value: unknown): value is Record<string | number, unknown> {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Names that reach into JavaScript rather than into data, when a value does not hold them as its own keys. */
const reachingNames =
  /^(?:__.*|constructor|prototype|valueOf|toString|hasOwnProperty|isPrototypeOf|propertyIsEnumerable|toLocaleString)$/;

export function reachesJavaScript(name: string | symbol): boolean {
  return typeof name !== 'string' || reachingNames.test(name);
}

/** An own data property of a plain map or list; anything else (methods, prototypes, functions) reads as undefined. */
function ownData(obj: unknown, key: unknown): unknown {
  const name = typeof key === 'number' ? key : String(key);
  const own = isPlainData(obj) && Object.hasOwn(obj, name);
  if (!own && typeof name === 'string' && reachingNames.test(name))
    throw new TemplateRefusal(`'${name}' is not data: a template reads only the values of variables and their keys`);
  if (!own) return undefined;
  const value = (obj as Record<string | number, unknown>)[name];
  return typeof value === 'function' ? undefined : value;
}

let installed = false;

/**
 * nunjucks' runtime, made to read data only: member lookups reach own properties of plain maps and
 * lists, names reach the variables and the template's own loop and set names, and nothing can be
 * called but range() and the runner's capture. Installed once, before the first template renders.
 */
export function installSafeRuntime(): void {
  if (installed) return;
  installed = true;
  const runtime = (nunjucks as unknown as { runtime: Runtime }).runtime;
  runtime.memberLookup = (obj, key) => noteRead(ownData(obj, key));
  runtime.contextOrFrameLookup = (context, frame, name) => {
    for (let current: Frame | undefined = frame; current; current = current.parent) {
      if (current.variables && Object.hasOwn(current.variables, name)) return noteRead(current.variables[name]);
    }
    if (Object.hasOwn(context.ctx, name)) return noteRead(ownData(context.ctx, name));
    return Object.hasOwn(globals, name) ? globals[name] : undefined;
  };
  runtime.callWrap = (fn, name, context, args) => {
    if (!callables.has(fn))
      throw new TemplateRefusal(
        `${name}() cannot be called: a template reads data, and the only function it may call is range()`,
      );
    return (fn as (...args: unknown[]) => unknown).apply(context, args);
  };
  const inOperator = runtime.inOperator;
  runtime.inOperator = (key, value) =>
    isPlainData(value) && !Array.isArray(value) ? Object.hasOwn(value, String(key)) : inOperator(key, value);
}
