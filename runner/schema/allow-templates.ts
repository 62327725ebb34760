import type { TSchema } from '@sinclair/typebox';

export const templateMarker = 'x-template';
export const templatePattern = '\\{\\{[\\s\\S]*\\}\\}|\\{%[\\s\\S]*%\\}';

const templateString = {
  type: 'string',
  pattern: templatePattern,
  [templateMarker]: true,
  description: 'a {{ template }} rendered before the step runs',
};

// Structured maps are left alone: templating one whole is rare, and wrapping each multiplies the validator's size.
// Free-form maps (records such as terraform `vars`) often come whole from the inventory, so they may be a template.
const wrappable = new Set(['integer', 'number', 'boolean', 'array']);

/** Lets numbers, booleans and lists also be written as a `{{ template }}`, as they may be before rendering. */
export function allowTemplates(schema: TSchema): TSchema {
  return transform(structuredClone(schema) as Record<string, unknown>, false) as TSchema;
}

function transform(node: Record<string, unknown>, wrapSelf = true): Record<string, unknown> {
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(node[key]))
      node[key] = (node[key] as Record<string, unknown>[]).map((branch) => transform(branch));
  }
  if (node['properties'] && typeof node['properties'] === 'object') {
    const properties = node['properties'] as Record<string, Record<string, unknown>>;
    for (const name of Object.keys(properties)) properties[name] = transform(properties[name]!);
  }
  if (node['items'] && typeof node['items'] === 'object' && !Array.isArray(node['items'])) {
    node['items'] = transform(node['items'] as Record<string, unknown>);
  }
  if (node['additionalProperties'] && typeof node['additionalProperties'] === 'object') {
    node['additionalProperties'] = transform(node['additionalProperties'] as Record<string, unknown>);
  }
  if (node['patternProperties'] && typeof node['patternProperties'] === 'object') {
    const patterns = node['patternProperties'] as Record<string, Record<string, unknown>>;
    for (const name of Object.keys(patterns)) patterns[name] = transform(patterns[name]!);
  }
  const type = node['type'];
  const record = type === 'object' && node['patternProperties'] !== undefined;
  // A string with a pattern (a Kubernetes name) may be a template too; its rendered value is checked before the step runs.
  const patterned = type === 'string' && node['pattern'] !== undefined;
  // So is a choice among words (`released: restore | skip`), often set from a variable.
  const choice =
    Array.isArray(node['anyOf']) &&
    (node['anyOf'] as Record<string, unknown>[]).every((branch) => typeof branch['const'] === 'string');
  if (!wrapSelf || !(wrappable.has(String(type)) || record || patterned || choice) || node[templateMarker]) return node;
  const { description, default: fallback, ...rest } = node;
  const wrapped: Record<string, unknown> = { anyOf: [rest, templateString] };
  if (description !== undefined) wrapped['description'] = description;
  if (fallback !== undefined) wrapped['default'] = fallback;
  return wrapped;
}
