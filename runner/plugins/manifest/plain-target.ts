import type { EditTarget } from './edit-target.js';
import type { PathSegment } from '../../input/yaml-source.js';

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;
const isRecord = (value: unknown): value is Record<string, unknown> => isContainer(value) && !Array.isArray(value);

/** A list index the way the YAML library reads one: a number, or a string of digits. */
function indexOf(key: PathSegment): number | undefined {
  const index = typeof key === 'number' ? key : key === '' ? Number.NaN : Number(key);
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}

function has(container: Container, key: PathSegment): boolean {
  if (Array.isArray(container)) {
    const index = indexOf(key);
    return index !== undefined && index < container.length;
  }
  // JSON keys are all strings: `[0]` names the key "0" of an object.
  return Object.hasOwn(container, String(key));
}

const child = (container: Container, key: PathSegment): unknown =>
  has(container, key)
    ? (container as Record<string | number, unknown>)[Array.isArray(container) ? indexOf(key)! : String(key)]
    : undefined;

/** Never through the prototype: a key named `__proto__` in a file is data like any other. */
function put(container: Container, key: PathSegment, value: unknown): void {
  Object.defineProperty(container, Array.isArray(container) ? indexOf(key)! : String(key), {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** The container holding the path's last key, or undefined when the path does not lead to one. */
function parentOf(root: object, path: readonly PathSegment[]): Container | undefined {
  let current: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (!isContainer(current) || !has(current, key)) return undefined;
    current = child(current, key);
  }
  return isContainer(current) ? current : undefined;
}

/** An object parsed from JSON, edited with the same rules as a YAML map (see set-path.ts). */
export function plainTarget(root: object): EditTarget {
  return {
    read: (path) => {
      const parent = parentOf(root, path);
      const key = path[path.length - 1]!;
      if (!parent || !has(parent, key)) return { present: false, value: undefined };
      return { present: true, value: child(parent, key) };
    },
    set: (path, value) => {
      let current: unknown = root;
      for (const key of path.slice(0, -1)) {
        if (!isContainer(current) || (Array.isArray(current) && typeof key !== 'number')) return false;
        const next = child(current, key);
        if (next === undefined || next === null) {
          if (Array.isArray(current)) return false;
          put(current, key, {});
          current = child(current, key);
          continue;
        }
        current = next;
      }
      const last = path[path.length - 1]!;
      if (!isRecord(current) && !(Array.isArray(current) && typeof last === 'number')) return false;
      put(current as Container, last, structuredClone(value));
      return true;
    },
    remove: (path) => {
      const parent = parentOf(root, path);
      const key = path[path.length - 1]!;
      if (!parent || !has(parent, key)) return false;
      if (Array.isArray(parent)) parent.splice(indexOf(key)!, 1);
      else delete parent[String(key)];
      return true;
    },
  };
}
