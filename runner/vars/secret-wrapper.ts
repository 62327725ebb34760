import type { PathSegment } from '../input/yaml-source.js';

/** `{ secret: value }` marks a value as secret; it is unwrapped and its path remembered for masking. */
export function unwrapSecrets(
  value: unknown,
  path: PathSegment[] = [],
  found: PathSegment[][] = [],
): { value: unknown; secretPaths: PathSegment[][] } {
  const unwrapped = unwrap(value, path, found);
  return { value: unwrapped, secretPaths: found };
}

function isSecretWrapper(value: unknown): value is { secret: unknown } {
  return (
    Boolean(value) &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value as object).length === 1 &&
    'secret' in (value as object)
  );
}

function unwrap(value: unknown, path: PathSegment[], found: PathSegment[][]): unknown {
  if (isSecretWrapper(value)) {
    found.push(path);
    return value.secret;
  }
  if (Array.isArray(value)) return value.map((item, index) => unwrap(item, [...path, index], found));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrap(item, [...path, key], found)]));
  }
  return value;
}
