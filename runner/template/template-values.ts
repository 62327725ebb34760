import { TemplateRefusal } from './template-refusal.js';

/** A map or list as data holds it: an array, or an object whose prototype is Object's or none. */
export function isPlainData(value: unknown): value is Record<string | number, unknown> {
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
export function ownData(obj: unknown, key: unknown): unknown {
  const name = typeof key === 'number' ? key : String(key);
  const own = isPlainData(obj) && Object.hasOwn(obj, name);
  if (!own && typeof name === 'string' && reachingNames.test(name))
    throw new TemplateRefusal(`'${name}' is not data: a template reads only the values of variables and their keys`);
  if (!own) return undefined;
  const value = (obj as Record<string | number, unknown>)[name];
  return typeof value === 'function' ? undefined : value;
}

/** Text nunjucks' marked-safe strings carry: the escape and safe filters return one. */
interface MarkedText {
  val: string;
  length: number;
}

export function isMarkedText(value: object): value is MarkedText {
  return !isPlainData(value) && typeof (value as MarkedText).val === 'string';
}

/**
 * A value as text, the way JavaScript's `'' + value` reads data (a list joins with commas, a map is
 * `[object Object]`), without calling any method the value could carry.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value))
    return value.map((item) => (item === null || item === undefined ? '' : textOf(item))).join(',');
  if (isMarkedText(value)) return value.val;
  return '[object Object]';
}

/** The text JavaScript's `'' + value` gives: none and undefined read as words, as there. */
export const jsText = (value: unknown) => (value === null ? 'null' : value === undefined ? 'undefined' : textOf(value));

/** A value an operator can take: primitives as they are, lists and maps as their text. */
export function operand(value: unknown): string | number | boolean | bigint | null | undefined {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value;
  return textOf(value);
}

/** `==` as JavaScript has it for data: the same map or list, or equal after reading either as text. */
export function looselyEqual(left: unknown, right: unknown): boolean {
  if (typeof left === 'object' && left !== null && typeof right === 'object' && right !== null) return left === right;
  // nunjucks' == is JavaScript's, here over values that can run no code.
  return operand(left) == operand(right);
}

/** nunjucks' `in`: an item of a list, a piece of a string, or an own key of a map. */
export function isIn(key: unknown, value: unknown): boolean {
  if (Array.isArray(value)) return value.indexOf(key) !== -1;
  if (typeof value === 'string') return value.includes(jsText(key));
  if (isPlainData(value)) return Object.hasOwn(value, textOf(key));
  // A marked-safe string is an object to nunjucks' `in`: its own keys are its text and length.
  if (typeof value === 'object' && value !== null && isMarkedText(value)) return Object.hasOwn(value, textOf(key));
  throw new Error(`'in' looks in a list, a string or a map, not in ${value === null ? 'none' : typeof value}`);
}
