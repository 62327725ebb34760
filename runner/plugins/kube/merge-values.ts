function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Helm's rule for several values sources: maps merge, anything else from a later source replaces. */
export function mergeValues(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(source)) {
    out[key] = isMap(value) && isMap(out[key]) ? mergeValues(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}
