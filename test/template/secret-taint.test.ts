import { afterEach, describe, expect, it } from 'vitest';
import { renderString } from '../../runner/template/render.js';
import { taintFrom } from '../../runner/template/secret-taint.js';
import { resolveVars } from '../../runner/vars/resolve-vars.js';
import { SecretMasker } from '../../runner/vars/secret-masker.js';
import type { VarLayer } from '../../runner/vars/var-layer.js';

const layer = (values: Record<string, unknown>): VarLayer => ({
  label: 'inventory',
  values,
  locate: () => ({ file: 'site.yml', line: 1, col: 1 }),
});

function site(values: Record<string, unknown>) {
  const masker = new SecretMasker();
  taintFrom(masker);
  return { masker, vars: resolveVars([layer(values)], masker).values as Record<string, unknown> };
}

afterEach(() => taintFrom(undefined));

describe('a value made from a secret is a secret', () => {
  const token = 's3cr3t-Token-value';

  it.each([
    ['{{ tok | upper }}'],
    ['{{ tok | urlencode }}'],
    ['{{ tok | reverse }}'],
    ['{{ tok | truncate(12, true, "") }}'],
    ['{{ ("user:" ~ tok) | b64encode }}'],
    ['{{ tok | replace("-", "_") }}'],
    ['{{ [tok, "x"] | join("+") | lower }}'],
    ['{% for part in tok | list %}{{ part }}{% endfor %}-suffix'],
  ])('%s renders to a masked value, in a step and in a variable made from it', (template) => {
    const { masker, vars } = site({ tok: { secret: token }, derived: template });
    const rendered = String(renderString(template, vars));
    expect(rendered.length).toBeGreaterThan(0);
    expect(masker.mask(`shown: ${rendered}`)).toBe('shown: ********');
    expect(masker.mask(`shown: ${String(vars['derived'])}`)).toBe('shown: ********');
  });

  it('masks a secret at any depth of a map or a list', () => {
    const { masker } = site({
      secret_db: { secret: { db: { password: 'deep-password-1' }, replicas: [['listed-secret-2']] } },
    });
    expect(masker.mask('deep-password-1 and listed-secret-2')).toBe('******** and ********');
  });

  it('keeps data that only sits next to a secret readable', () => {
    const { masker, vars } = site({ tok: { secret: token }, users: ['ada-lovelace', 'bob-dylan'] });
    expect(String(renderString('{{ users | join(",") | upper }}', vars))).toBe('ADA-LOVELACE,BOB-DYLAN');
    expect(masker.mask('ADA-LOVELACE,BOB-DYLAN')).toBe('ADA-LOVELACE,BOB-DYLAN');
  });
});
