import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderText } from '../../runner/template/render.js';
import { maxIterations, maxSteps } from '../../runner/template/template-budget.js';
import { maxRenderedChars } from '../../runner/template/template-limits.js';

const runner = fileURLToPath(new URL('../../runner', import.meta.url));

/** Refused with a located message, and within the budget's own time: the refusal comes as the render goes over. */
function refused(source: string, values: Record<string, unknown> = {}): string {
  try {
    renderText(source, values);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`rendered: ${source}`);
}

describe('one budget for each render, charged as it runs', () => {
  it('stops loops nested over a range set once, where a per-range budget would let 10^8 passes through', () => {
    expect(refused('{% set r = range(10000) %}{% for a in r %}{% for b in r %}x{% endfor %}{% endfor %}')).toContain(
      `loops run more than ${maxIterations} times`,
    );
  });

  it('stops a render that takes too many steps, though its loops stay under their count', () => {
    const sum = Array.from({ length: 400 }, () => 'n').join(' + ');
    expect(refused(`{% for i in range(10000) %}{{ ${sum} }}{% endfor %}`, { n: 1 })).toContain(
      `more than ${maxSteps} steps`,
    );
  });

  it('stops output as it grows past the limit, not after', () => {
    expect(refused('{% for i in range(10000) %}{{ "x" | center(10000) }}{% endfor %}')).toContain(
      `the limit is ${maxRenderedChars}`,
    );
  });

  it('sizes a filter before it allocates: replace, join, indent, slice and batch', () => {
    const big = 'y'.repeat(5000);
    expect(refused('{{ b | replace("", c) }}', { b: big, c: big })).toMatch(/^replace would make \d+ characters/);
    expect(refused('{{ [b, b, b, b] | join(b) }}', { b: 'z'.repeat(5_000_000) })).toMatch(/^join would make/);
    expect(refused('{{ t | indent(9000) }}', { t: '\n'.repeat(2000) })).toMatch(/^indent would make/);
    expect(refused('{{ [1] | slice(100000000) }}')).toContain('slice(100000000) is wider');
    expect(refused('{{ [1] | batch(100000000, 0) }}')).toContain('batch(100000000) is wider');
  });

  it('refuses a template nested deeper than a person writes, rather than exhausting the stack', () => {
    const deep = `{{ ${'['.repeat(600)}1${']'.repeat(600)} }}`;
    expect(refused(deep)).toMatch(/nests deeper than 500 levels|nests too deeply/);
    const deeper = `{{ ${'('.repeat(20000)}1${')'.repeat(20000)} }}`;
    expect(refused(deeper)).toContain('nests too deeply');
  });
});

describe('no template is compiled', () => {
  it('imports nunjucks only for its parser and its filter functions, and compiles nothing', () => {
    const files = readdirSync(runner, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const importers = files.filter((file) => /from 'nunjucks/.test(readFileSync(join(runner, file), 'utf8'))).sort();
    expect(importers).toEqual(['template/template-filters.ts', 'template/template-names.ts']);
    for (const file of importers)
      expect(readFileSync(join(runner, file), 'utf8')).not.toMatch(
        /renderString|new nunjucks\.Template|compile|\.render\(/,
      );
  });
});
