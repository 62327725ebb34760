import type { PathSegment } from './yaml-source.js';

/** The value at a path inside plain data, or undefined when any step of the path is missing. */
export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) current = (current as Record<string | number, unknown> | undefined)?.[segment];
  return current;
}
