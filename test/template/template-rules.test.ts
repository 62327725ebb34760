import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { renderString, renderText } from '../../runner/template/render.js';
import { TemplateError } from '../../runner/template/template-error.js';
import { templateEscapes, withMarker } from '../helpers/template-escapes.js';

const marker = () => join(mkdtempSync(join(tmpdir(), 'runner-escape-')), 'pwned');
const context = () => ({ x: { a: 'text' }, r: { stdout: 'out' } });

describe('the escapes the suite uses are real', () => {
  it('creates the marker when plain nunjucks renders one of them', () => {
    const path = marker();
    new nunjucks.Environment().renderString(withMarker(templateEscapes[0]!, path), context());
    expect(existsSync(path)).toBe(true);
  });
});

describe('a template reads data and cannot run code', () => {
  it.each(templateEscapes.map((text) => [text]))('refuses %s, and nothing runs', (text) => {
    const path = marker();
    const source = withMarker(text, path);
    expect(() => renderString(source, context())).toThrow(TemplateError);
    expect(() => renderText(source, context())).toThrow(TemplateError);
    expect(existsSync(path)).toBe(false);
  });

  it('still reads keys, loops, filters and tests, and range() within its budget', () => {
    const vars = {
      users: { ada: { quota: 2 }, bob: { quota: 3 } },
      names: ['b', 'a'],
      constructorKey: { constructor: 'own key' },
    };
    expect(renderString('{% for name, user in users %}{{ name }}={{ user.quota }};{% endfor %}', vars)).toBe(
      'ada=2;bob=3;',
    );
    expect(renderString('{{ names | sort | join(",") | upper }}', vars)).toBe('A,B');
    expect(renderString('{{ range(3) | join("") }}', vars)).toBe('012');
    expect(renderString("{{ 'ada' in users and users.ada.quota is defined }}", vars)).toBe(true);
    // A key that a map really holds is data, whatever its name.
    expect(renderString('{{ constructorKey.constructor }}', vars)).toBe('own key');
  });

  it('says where in the text a refused construct is', () => {
    expect(() => renderString('ok {{ x.a }}\n{{ x.constructor }}', context())).toThrow(/'constructor' is not data/);
    let refused: unknown;
    try {
      renderText('line one\n{{ nosuchfunc(1) }}', context());
    } catch (error) {
      refused = error;
    }
    // nunjucks places a call at its opening parenthesis.
    expect((refused as TemplateError).position).toEqual({ line: 2, col: 14 });
  });
});
