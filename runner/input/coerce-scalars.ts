import type { ErrorObject } from 'ajv';

/** What a rendered string may stand for when the schema wants a scalar: `-e flag=true` is a string until it lands in a boolean. */
export function coerced(text: string, wanted: string): { value: unknown } | undefined {
  const trimmed = text.trim();
  if (wanted === 'boolean' && /^(?:true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' };
  if (wanted === 'integer' && /^-?\d{1,15}$/.test(trimmed)) return { value: Number(trimmed) };
  if (wanted === 'number' && /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(trimmed)) return { value: Number(trimmed) };
  return undefined;
}

function pointerSegments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Sets a value at a path, copying each container on the way: rendered arguments may share frozen variables. */
function replaceAt(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let container: Record<string, unknown> = root;
  for (const [index, segment] of segments.entries()) {
    if (index === segments.length - 1) {
      container[segment] = value;
      return;
    }
    const child = container[segment];
    const copy = Array.isArray(child) ? [...child] : { ...(child as object) };
    container[segment] = copy;
    container = copy as Record<string, unknown>;
  }
}

/**
 * Turns the rendered strings the schema refused for want of a boolean or a number into one, when the
 * string says exactly that ("true", "3"), as Ansible does for module arguments; returns whether any changed.
 */
export function coerceRenderedScalars(args: unknown, errors: readonly ErrorObject[]): boolean {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return false;
  let changed = false;
  for (const error of errors) {
    if (error.keyword !== 'type') continue;
    const segments = pointerSegments(error.instancePath);
    let value: unknown = args;
    for (const segment of segments) value = (value as Record<string, unknown> | undefined)?.[segment];
    if (typeof value !== 'string' || segments.length === 0) continue;
    const wanted = (error.params as { type?: string }).type;
    const result =
      wanted === undefined
        ? undefined
        : wanted
            .split(',')
            .map((type) => coerced(value as string, type))
            .find(Boolean);
    if (!result) continue;
    replaceAt(args as Record<string, unknown>, segments, result.value);
    changed = true;
  }
  return changed;
}
