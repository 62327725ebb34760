import { describe, expect, it } from 'vitest';
import { InputError } from '../../runner/input/input-error.js';
import { resolveVars } from '../../runner/vars/resolve-vars.js';
import { SecretMasker } from '../../runner/vars/secret-masker.js';
import type { VarLayer } from '../../runner/vars/var-layer.js';

function layer(label: string, values: Record<string, unknown>, nested = false): VarLayer {
  return { label, values, nested, locate: (path) => ({ file: `${label}.yml`, line: 1, col: path.length }) };
}

describe('resolveVars precedence', () => {
  const levels = [
    layer('defaults', { a: 'default', b: 'default', c: 'default', d: 'default' }),
    layer('playbook', { b: 'playbook', c: 'playbook', d: 'playbook' }),
    layer('inventory', { c: 'inventory', d: 'inventory' }),
    layer('extra', { d: 'extra' }, true),
  ];

  it('lets each level override the ones below it', () => {
    const { values, origin } = resolveVars(levels, new SecretMasker());
    expect(values).toMatchObject({ a: 'default', b: 'playbook', c: 'inventory', d: 'extra' });
    expect(origin.get('d')).toBe('extra');
  });

  it('sets one nested value for a dotted -e key and keeps its siblings', () => {
    const { values } = resolveVars(
      [
        layer('inventory', { https: { mode: 'letsencrypt', email: 'a@b.org' } }),
        layer('extra', { 'https.mode': 'custom' }, true),
      ],
      new SecretMasker(),
    );
    expect(values['https']).toEqual({ mode: 'custom', email: 'a@b.org' });
  });

  it('replaces a whole map from a higher inventory level rather than merging it', () => {
    const { values } = resolveVars(
      [layer('playbook', { https: { mode: 'a', email: 'x' } }), layer('inventory', { https: { mode: 'b' } })],
      new SecretMasker(),
    );
    expect(values['https']).toEqual({ mode: 'b' });
  });
});

describe('resolveVars templates', () => {
  it('renders variables that refer to others, whatever their level', () => {
    const { values } = resolveVars(
      [
        layer('playbook', { url: 'https://{{ domain }}/hub', port: '{{ base_port }}' }),
        layer('inventory', { domain: 'js-1.org', base_port: 8000 }),
      ],
      new SecretMasker(),
    );
    expect(values['url']).toBe('https://js-1.org/hub');
    expect(values['port']).toBe(8000);
  });

  it('names an undefined variable at the position of the variable that uses it', () => {
    expect(() =>
      resolveVars([layer('inventory', { url: 'https://{{ domian }}', domain: 'x' })], new SecretMasker()),
    ).toThrow("inventory.yml:1:1: in variable 'url': undefined variable 'domian' (did you mean 'domain'?)");
  });

  it('refuses a cycle and names it', () => {
    let error: unknown;
    try {
      resolveVars([layer('playbook', { a: '{{ b }}', b: '{{ a }}' })], new SecretMasker());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('refers to itself through a -> b -> a');
  });

  it('returns a frozen set', () => {
    const { values } = resolveVars([layer('playbook', { a: { b: 1 } })], new SecretMasker());
    expect(Object.isFrozen(values)).toBe(true);
    expect(Object.isFrozen(values['a'])).toBe(true);
  });
});

describe('resolveVars secrets', () => {
  it('unwraps { secret: } and registers the value, even when it is templated', () => {
    const masker = new SecretMasker();
    const { values } = resolveVars(
      [layer('inventory', { token: { secret: 'tok-{{ suffix }}' }, suffix: 'abc123' })],
      masker,
    );
    expect(values['token']).toBe('tok-abc123');
    expect(masker.mask('the token is tok-abc123.')).toBe('the token is ********.');
  });

  it('knows a secret before any check that may quote it: a type error on -e, a template that will not parse', () => {
    const quoted = (layers: VarLayer[]) => {
      const masker = new SecretMasker();
      try {
        resolveVars(layers, masker);
      } catch (error) {
        return masker
          .maskDeep((error as InputError).problems)
          .map((problem) => problem.message)
          .join('\n');
      }
      throw new Error('resolved');
    };
    const typeError = quoted([
      layer('inventory', { db_port: { secret: 73519 } }),
      layer('extra', { db_port: 'abc' }, true),
    ]);
    expect(typeError).toContain('expected a number');
    expect(typeError).not.toContain('73519');
    const unparsable = quoted([layer('inventory', { token: { secret: 'pa{{ss-w0rd-9941' } })]);
    expect(unparsable).toContain('invalid template');
    expect(unparsable).not.toContain('w0rd-9941');
  });
});
