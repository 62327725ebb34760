import { describe, expect, it } from 'vitest';
import { evaluateCondition, renderDeep, renderString, RenderError } from '../../runner/template/render.js';

const context = { domain: 'js-1.org', site: { namespace: 'jhub' }, replicas: 3, users: ['a', 'b'], empty: [] };

describe('renderString', () => {
  it('keeps the native type of a whole-expression string', () => {
    expect(renderString('{{ replicas }}', context)).toBe(3);
    expect(renderString('{{ users }}', context)).toEqual(['a', 'b']);
  });

  it('renders text with several expressions to a string', () => {
    expect(renderString('https://{{ domain }}/{{ site.namespace }}', context)).toBe('https://js-1.org/jhub');
  });

  it('leaves strings without templates alone', () => {
    expect(renderString('plain {text}', context)).toBe('plain {text}');
  });

  it('makes an undefined variable an error, never an empty string, with a did-you-mean', () => {
    expect(() => renderString('https://{{ domian }}', context)).toThrow("undefined variable 'domian'");
    try {
      renderString('{{ domian }}', context);
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe("did you mean 'domain'?");
    }
  });

  it('makes a missing key an error naming the map and the key', () => {
    expect(() => renderString('{{ site.namespaec }}', context)).toThrow("'site' has no key 'namespaec'");
  });

  it('allows what is guarded by default() or is defined', () => {
    expect(renderString('{{ nope | default("x") }}', context)).toBe('x');
    expect(renderString('{% if nope is defined %}{{ nope }}{% else %}none{% endif %}', context)).toBe('none');
    expect(renderString('{{ "y" if nope is defined and nope.deep else "n" }}', context)).toBe('n');
  });

  it('does not treat loop variables as undefined', () => {
    expect(renderString('{% for u in users %}{{ u }};{% endfor %}', context)).toBe('a;b;');
  });

  it('reports a syntax error without nunjucks internals', () => {
    expect(() => renderString('{{ replicas + }}', context)).toThrow(
      'invalid template "{{ replicas + }}": unexpected token: }}',
    );
  });
});

describe('renderDeep', () => {
  it('renders every string in a structure and reports the path of the one that failed', () => {
    expect(renderDeep({ argv: ['echo', '{{ domain }}'], n: '{{ replicas }}' }, context)).toEqual({
      argv: ['echo', 'js-1.org'],
      n: 3,
    });
    try {
      renderDeep({ argv: ['echo', '{{ nope }}'] }, context);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RenderError);
      expect((error as RenderError).path).toEqual(['argv', 1]);
    }
  });
});

describe('evaluateCondition', () => {
  it('evaluates bare and braced expressions with Jinja truthiness', () => {
    expect(evaluateCondition('replicas > 2', context)).toBe(true);
    expect(evaluateCondition('{{ replicas == 2 }}', context)).toBe(false);
    expect(evaluateCondition('empty', context)).toBe(false);
    expect(evaluateCondition('users', context)).toBe(true);
    expect(evaluateCondition(true, context)).toBe(true);
  });
});
