import { describe, expect, it } from 'vitest';
import { createAjv } from '../../runner/schema/ajv-instance.js';
import { playbookSchema } from '../../runner/schema/playbook-schema.js';
import { builtinPlugins } from '../../runner/plugins/registry.js';

describe('playbookSchema', () => {
  const validate = createAjv().compile(playbookSchema(builtinPlugins));

  it('accepts a playbook using every plugin and templated non-string values', () => {
    expect(
      validate({
        name: 'p',
        vars: { a: 1 },
        steps: [
          { name: 'c', command: { argv: '{{ list }}', creates: '/x' }, tags: ['t'], when: 'a == 1' },
          {
            name: 'm',
            'manifest.edit': {
              path: 'f',
              each: 'items',
              ops: [{ set: 'a.b', value: { c: 1 } }, { drop: [{ path: 'x', equals: 1 }] }],
            },
          },
        ],
      }),
    ).toBe(true);
  });

  it('rejects a step with two plugins or none, and unknown keys', () => {
    expect(
      validate({
        name: 'p',
        steps: [{ name: 's', command: { argv: ['a'] }, 'manifest.edit': { path: 'f', ops: [{ delete: 'a' }] } }],
      }),
    ).toBe(false);
    expect(validate({ name: 'p', steps: [{ name: 's' }] })).toBe(false);
    expect(validate({ name: 'p', steps: [{ name: 's', command: { argv: ['a'] }, extra: 1 }] })).toBe(false);
  });

  it('carries a description for every plugin and step key, for editors', () => {
    const step = (playbookSchema(builtinPlugins) as any).properties.steps.items;
    for (const [key, property] of Object.entries(step.properties as Record<string, { description?: string }>)) {
      expect(property.description, key).toBeTruthy();
    }
  });
});
