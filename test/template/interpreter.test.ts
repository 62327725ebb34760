import fc from 'fast-check';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../runner/template/environment.js';
import { renderString, renderText } from '../../runner/template/render.js';
import { TemplateError } from '../../runner/template/template-error.js';
import { stressRounds } from '../helpers/stress.js';

/** nunjucks as it compiles templates to JavaScript, with the options the runner's templates have always had: the reference. */
const compiled = new nunjucks.Environment(null, {
  throwOnUndefined: true,
  autoescape: false,
  trimBlocks: true,
  lstripBlocks: true,
});
// The filters the runner adds, as it adds them.
compiled.addFilter('to_json', (value: unknown) => JSON.stringify(value));
compiled.addFilter('b64encode', (value: unknown) => Buffer.from(String(value), 'utf8').toString('base64'));

const values = () => ({
  n: 3,
  z: 0,
  f: 2.5,
  b: 'ab',
  s: ['b', 'a', 'c'],
  l: [1, 2, 3],
  m: { x: 1, y: 'why' },
  e: [],
  t: true,
  pairs: [
    ['k', 1],
    ['j', 2],
  ],
});

const outcome = (render: () => string) => {
  try {
    return { text: render() };
  } catch {
    return { error: true };
  }
};

// Expressions over the values above, with every operator, filter and test a template here may use.
const expression = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('n', 'z', 'f', 'b', 's', 'l', 'm', 'e', 't', 'm.x', 'm["y"]', 'l[0]', 's[2]', 'pairs[1][0]'),
    fc.constantFrom('0', '1', '-2', '2.5', '"a"', "'xy'", '""', 'true', 'false', 'none', '[]', '[1, "a"]', '{"k": 1}'),
    fc.constantFrom('range(3)', 'range(1, 4)', 'range(5, 0, -2)'),
    tie('expr').map((inner) => `(${inner})`),
    tie('expr').map((inner) => `not (${inner})`),
    // nunjucks pastes a minus before its operand, so a bare -(-x) would reach JavaScript as a decrement.
    tie('expr').map((inner) => `-(${inner})`),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('+', '-', '*', '/', '//', '%', '**', '~', '==', '!=', '<', '>', '<=', '>=', 'and', 'or', 'in'),
        tie('expr'),
      )
      // Operands in parentheses: without them nunjucks' JavaScript can group otherwise than its own parse tree (below).
      .map(([left, op, right]) => `(${left}) ${op} (${right})`),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom(
          'upper',
          'lower',
          'length',
          'first',
          'last',
          'join(",")',
          'join',
          'default("d")',
          'd(1)',
          'string',
          'list',
          'reverse',
          'sort',
          'trim',
          'int',
          'float',
          'abs',
          'round(1)',
          'title',
          'capitalize',
          'dump',
          'batch(2)',
          'batch(2, "-")',
          'slice(2)',
          'truncate(3)',
          'replace("a", "b")',
          'replace("", "-")',
          'wordcount',
          'center(6)',
          'indent(2)',
          'indent(2, true)',
          'urlencode',
          'sum',
          'escape',
          'safe',
          'nl2br',
          'select("odd")',
          'reject("even")',
          'dictsort',
          'to_json',
          'b64encode',
        ),
      )
      .map(([input, filter]) => `${input} | ${filter}`),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom(
          'defined',
          'odd',
          'even',
          'string',
          'number',
          'mapping',
          'iterable',
          'divisibleby(2)',
          'eq(1)',
          'ne("a")',
          'gt(1)',
          'none',
          'truthy',
        ),
      )
      // Parenthesized: nunjucks reads `a is defined + b` as a test named by a sum, which the runner refuses.
      .map(([input, test]) => `(${input} is ${test})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([body, cond, other]) => `${body} if ${cond} else ${other}`),
    fc.tuple(tie('expr'), tie('expr')).map(([body, cond]) => `${body} if ${cond}`),
    fc.tuple(tie('expr'), tie('expr')).map(([first, second]) => `[${first}, ${second}]`),
  ),
})).expr;

/** Statements; a loop's body sets nothing, as the runner's rules refuse `set` inside `for`. */
const statement = fc.letrec<{ block: string; loopBody: string }>((tie) => {
  const common = (inner: 'block' | 'loopBody') => [
    fc.constantFrom('text ', '\n', '  ', '-'),
    expression.map((expr) => `{{ ${expr} }}`),
    fc
      .tuple(expression, tie(inner), tie(inner))
      .map(([cond, body, other]) => `{% if ${cond} %}${body}{% else %}${other}{% endif %}`),
    fc
      .tuple(expression, tie(inner), expression, tie(inner))
      .map(([cond, body, cond2, body2]) => `{% if ${cond} %}${body}{% elif ${cond2} %}${body2}{% endif %}`),
    fc
      .tuple(expression, tie('loopBody'), tie('loopBody'))
      .map(
        ([items, body, other]) =>
          `{% for v in ${items} %}[{{ v }}{{ loop.index }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}]${body}{% else %}E${other}{% endfor %}`,
      ),
    tie('loopBody').map((body) => `{% for key, val in m %}{{ key }}={{ val }};${body}{% endfor %}`),
    tie('loopBody').map((body) => `{% for a, c in pairs %}{{ a }}{{ c }}${body}{% endfor %}`),
    fc
      .tuple(expression, tie(inner), tie(inner))
      .map(
        ([subject, body, other]) =>
          `{% switch ${subject} %}{% case 1 %}{% case 3 %}${body}{% case "ab" %}B{% default %}${other}{% endswitch %}`,
      ),
    fc.tuple(tie(inner), tie(inner)).map(([first, second]) => `${first}\n  ${second}`),
  ];
  return {
    block: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      ...common('block'),
      fc.tuple(expression, tie('block')).map(([value, body]) => `{% set w = ${value} %}${body}{{ w }}`),
      fc
        .tuple(tie('block'), tie('block'))
        .map(([inner, after]) => `{% set cap %}${inner}{% endset %}${after}{{ cap }}`),
    ),
    loopBody: fc.oneof({ depthSize: 'small', withCrossShrink: true }, ...common('loopBody')),
  };
}).block;

describe('templates run by walking their parse tree', () => {
  it('render exactly what nunjucks compiled to JavaScript renders, and fail where it fails', () => {
    let rendered = 0;
    fc.assert(
      fc.property(statement, (source) => {
        const expected = outcome(() => compiled.renderString(source, values()));
        const actual = outcome(() => renderTemplate(source, values()));
        if ('text' in expected) rendered += 1;
        expect(actual, source).toEqual(expected);
      }),
      { numRuns: stressRounds(3_000, 20_000) },
    );
    expect(rendered).toBeGreaterThan(500);
  }, 180_000);

  it("group as the parse tree does (Jinja's precedence), where nunjucks' JavaScript would group otherwise", () => {
    expect(renderString('{{ not n + n }}', values())).toBe(false);
    expect(renderString('{{ "a" ~ 1 + 2 }}', values())).toBe('a3');
    expect(renderString('{{ not n == 3 }}', values())).toBe(false);
    expect(compiled.renderString('{{ not n + n }}|{{ "a" ~ 1 + 2 }}', values())).toBe('3|a12');
  });

  it('keep the native value of a whole expression', () => {
    expect(renderString('{{ l | reverse }}', values())).toEqual([3, 2, 1]);
    expect(renderString('{{ {"a": n, "b": [t]} }}', values())).toEqual({ a: 3, b: [true] });
    expect(renderString('{{ n > 2 and b }}', values())).toBe('ab');
  });
});

describe('no template text becomes code', () => {
  // Characters nunjucks' lexer lets into a name (anything but white space and its delimiters), which its compiler pastes into JavaScript.
  const hostile = fc.stringMatching(/^[a-z][a-z0-9_"'`\\&;$?^@]{0,30}$/);
  // Code written only with such characters: a tagged template runs Function, escapes stand for '.' and '='.
  const code = 'Function`globalThis\\x2e__jhubTemplateRan\\x3d1```';
  const payload = fc.constantFrom(
    `"&&${code}&&"`,
    `'&&${code}&&'`,
    `\\"&&${code}&&\\"`,
    `";${code};"`,
    `"&&${code}||"`,
    `\`&&${code}&&\``,
  );
  const symbol = fc.oneof(
    hostile,
    fc.tuple(fc.constantFrom('x', 'n', 'upper', 'odd'), payload).map(([head, tail]) => head + tail),
  );
  const channel = fc.constantFrom(
    (name: string) => `{{ ${name} }}`,
    (name: string) => `{{ ${name} | default(1) }}`,
    (name: string) => `{{ n | ${name} }}`,
    (name: string) => `{{ n | ${name}(1) }}`,
    (name: string) => `{{ n is ${name} }}`,
    (name: string) => `{{ n is ${name}(2) }}`,
    (name: string) => `{% set ${name} = 1 %}ok`,
    (name: string) => `{% for ${name} in l %}{% endfor %}`,
    (name: string) => `{% for k, ${name} in m %}{% endfor %}`,
    (name: string) => `{{ {${name}: 1} }}`,
    (name: string) => `{{ ${name}(1) }}`,
    (name: string) => `{{ m.${name} }}`,
    (name: string) => `{% if ${name} %}{% endif %}`,
    (name: string) => `{{ 1 if ${name} else 2 }}`,
    (name: string) => `{% switch ${name} %}{% case 1 %}a{% endswitch %}`,
  );

  it('runs none of 200 and more generated payloads, through every construct that reads a name', () => {
    const ran = () => Object.hasOwn(globalThis, '__jhubTemplateRan');
    let refused = 0;
    fc.assert(
      fc.property(symbol, channel, (name, place) => {
        const source = place(name);
        // The control: nunjucks' own compiler runs some of these, which is why the runner no longer compiles.
        for (const render of [() => renderText(source, values()), () => renderString(source, values())]) {
          try {
            render();
          } catch (error) {
            expect(error, source).toBeInstanceOf(TemplateError);
            refused += 1;
          }
        }
        expect(ran(), source).toBe(false);
      }),
      { numRuns: stressRounds(400, 5_000) },
    );
    expect(refused).toBeGreaterThan(200);
  });

  it('is what plain nunjucks would have run: the control payload runs there', () => {
    const source = '{{ x"&&Function`globalThis\\x2e__jhubControlRan\\x3d1```&&" | default(1) }}';
    try {
      compiled.renderString(source, { x: 1 });
    } catch {
      // Whatever it renders, the code has already run.
    }
    expect(Object.hasOwn(globalThis, '__jhubControlRan')).toBe(true);
    delete (globalThis as Record<string, unknown>)['__jhubControlRan'];
    expect(() => renderText(source, { x: 1 })).toThrow(/is not a name/);
    expect(Object.hasOwn(globalThis, '__jhubControlRan')).toBe(false);
  });

  it('refuses regular expressions, which could backtrack for ever on hostile text', () => {
    expect(() => renderText('{{ b | replace(r/(a+)+$/, "") }}', values())).toThrow(
      /regular expressions cannot be used here/,
    );
  });
});
