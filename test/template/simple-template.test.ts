import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpretExpression, interpretTemplate } from '../../runner/template/interpreter.js';
import { RenderBudget } from '../../runner/template/template-budget.js';
import { parseTemplate, type TemplateNode } from '../../runner/template/template-names.js';
import { evaluateSimpleExpression, renderSimpleTemplate } from '../../runner/template/simple-template.js';

const names = [
  'a',
  'b',
  'site',
  'x_1',
  'length',
  'constructor',
  'true',
  'none',
  'null',
  'not',
  'loop',
  'range',
  'caller',
];
// Mostly names a context holds, so most lookups resolve and the comparison has something to compare.
const name = fc.oneof(
  { arbitrary: fc.constantFrom('a', 'b', 'site'), weight: 6 },
  { arbitrary: fc.constantFrom(...names), weight: 1 },
);
const leaf = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0.5, -0, Number.NaN, 1e21),
  fc.boolean(),
  fc.constantFrom(null, undefined, () => 'called'),
);
const value = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 2 }),
    fc.dictionary(name, tie('node'), { maxKeys: 3 }),
  ),
})).node;
const context = fc
  .tuple(fc.dictionary(name, value, { minKeys: 1, maxKeys: 5 }), fc.boolean())
  .map(
    ([own, inherited]) =>
      (inherited ? Object.assign(Object.create({ a: 'inherited' }), own) : own) as Record<string, unknown>,
  );
const path = fc.array(name, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('.'));
const lookup = fc
  .tuple(fc.constantFrom('', ' ', '  ', '\t', '\n'), path, fc.constantFrom('', ' ', '\t'))
  .map(([before, inner, after]) => `{{${before}${inner}${after}}}`);
const text = fc.constantFrom(
  '',
  'x',
  '/',
  ' ',
  '-',
  '.',
  '}}',
  '{%',
  '{#',
  '%}',
  '{',
  '}',
  'a.b',
  '\n',
  '{{ a | upper }}',
  '{{ a ~ b }}',
  '{{ "q" }}',
);
const template = fc
  .array(fc.oneof({ arbitrary: lookup, weight: 3 }, { arbitrary: text, weight: 1 }), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));
const whole = /^\{\{\s*((?:(?!\{\{|\}\})[\s\S])+?)\s*\}\}$/;

/**
 * What the full engine's interpreter gives for the text, as render.ts asks it (a whole expression keeps
 * its type), without the rules checked before it: those refuse names such as `constructor` even
 * where a map holds them as its own keys, which the interpreter, like the fast path, reads as data.
 */
function engineResult(source: string, values: Record<string, unknown>): { value: unknown } | { error: unknown } {
  try {
    const match = whole.exec(source);
    if (!match) return { value: interpretTemplate(parseTemplate(source), values, new RenderBudget()) };
    const [output] = parseTemplate(`{{ (${match[1]!}) }}`)['children'] as TemplateNode[];
    const [expression] = output!['children'] as TemplateNode[];
    return { value: interpretExpression(expression!, values, new RenderBudget()) };
  } catch (error) {
    return { error };
  }
}

describe('renderSimpleTemplate', () => {
  it('gives exactly what the interpreter gives whenever it answers at all', () => {
    let answered = 0;
    fc.assert(
      fc.property(template, context, (source, values) => {
        const fast = renderSimpleTemplate(source, values);
        if (!fast) return;
        answered += 1;
        expect(engineResult(source, values)).toEqual({ value: fast.value });
      }),
      { numRuns: 4000 },
    );
    expect(answered).toBeGreaterThan(40);
  });

  it('renders lookups in text and keeps the type of a lone one', () => {
    const values = { site: { domain: 'js-1.org', replicas: 3 }, users: ['a'] };
    expect(renderSimpleTemplate('https://{{ site.domain }}:{{site.replicas}}/', values)).toEqual({
      value: 'https://js-1.org:3/',
    });
    expect(renderSimpleTemplate('{{ site.replicas }}', values)).toEqual({ value: 3 });
    expect(renderSimpleTemplate('{{ users }}', values)).toEqual({ value: ['a'] });
  });

  it('leaves to the interpreter what is not a plain lookup of a present, own value', () => {
    const values = Object.assign(Object.create({ inherited: 'x' }), {
      site: { domain: 'd', list: ['a'] },
      fn: () => 1,
      nothing: null,
    });
    for (const source of [
      '{{ site.domain | upper }}',
      '{{ missing }}',
      '{{ site.nope }}',
      '{{ inherited }}',
      '{{ fn }}',
      'x {{ nothing }}',
      'x {{ site.list }}',
      '{{ true }}',
      '{% if a %}{{ site.domain }}{% endif %}',
      '{{- site.domain }}',
      '{{ site.domain }} {# note #}',
      'plain',
    ]) {
      expect(renderSimpleTemplate(source, values), source).toBeUndefined();
    }
  });
});

describe('evaluateSimpleExpression', () => {
  it('gives exactly what the interpreter gives for a bare lookup, and nothing for more', () => {
    fc.assert(
      fc.property(
        fc.oneof(path, fc.constantFrom('a | length', 'not a', 'a == b', 'a[0]', ' a ')),
        context,
        (expression, values) => {
          const fast = evaluateSimpleExpression(expression, values);
          if (!fast) return;
          expect(engineResult(`{{ ${expression} }}`, values)).toEqual({ value: fast.value });
        },
      ),
      { numRuns: 2000 },
    );
    expect(evaluateSimpleExpression('not a', { a: true })).toBeUndefined();
    expect(evaluateSimpleExpression(' site.ns ', { site: { ns: 'jhub' } })).toEqual({ value: 'jhub' });
  });
});
