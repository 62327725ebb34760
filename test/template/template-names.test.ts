import { describe, expect, it } from 'vitest';
import { referencedNames } from '../../runner/template/template-names.js';

describe('referencedNames', () => {
  it('lists variables with the literal keys read from them', () => {
    expect(referencedNames('{{ site.domain }} {{ users[0] }} {{ a["b"] }}')).toMatchObject([
      { path: ['site', 'domain'], guarded: false },
      { path: ['users'], guarded: false },
      { path: ['a', 'b'], guarded: false },
    ]);
  });

  it('gives the line and column of each reference', () => {
    expect(
      referencedNames('line one\n  {{ first }}\n{% if x %}{{ second }}{% endif %}').map(({ path, line, col }) => [
        path[0],
        line,
        col,
      ]),
    ).toEqual([
      ['first', 2, 6],
      ['x', 3, 7],
      ['second', 3, 14],
    ]);
  });

  it('marks references guarded by default() and is defined', () => {
    expect(referencedNames('{{ x | default(y) }}{% if z is defined %}{{ z.k }}{% endif %}')).toMatchObject([
      { path: ['x'], guarded: true },
      { path: ['y'], guarded: false },
      { path: ['z'], guarded: true },
      { path: ['z', 'k'], guarded: true },
    ]);
  });

  it('leaves out names bound by for and set', () => {
    expect(
      referencedNames('{% set n = 1 %}{% for i in items %}{{ i }}{{ n }}{{ loop.index }}{% endfor %}'),
    ).toMatchObject([{ path: ['items'], guarded: false }]);
  });

  it('does not count filter names as variables', () => {
    expect(referencedNames('{{ x | upper | b64encode }}')).toMatchObject([{ path: ['x'], guarded: false }]);
  });
});
