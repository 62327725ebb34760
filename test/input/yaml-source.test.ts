import { describe, expect, it } from 'vitest';
import { inputProblemOf } from '../helpers/input-problem.js';
import { InputError } from '../../runner/input/input-error.js';
import { parseYamlText } from '../../runner/input/yaml-source.js';

const text = `name: demo
steps:
  - name: first
    command:
      argv: [echo, hi]
`;

describe('YamlSource.locate', () => {
  it('gives the line and column of a nested value', () => {
    const source = parseYamlText('p.yml', text);
    expect(source.locate(['steps', 0, 'command', 'argv', 1])).toEqual({ file: 'p.yml', line: 5, col: 20 });
  });

  it('gives the position of a key when asked for the key', () => {
    const source = parseYamlText('p.yml', text);
    expect(source.locate(['steps', 0, 'command'], 'key')).toEqual({ file: 'p.yml', line: 4, col: 5 });
  });

  it('falls back to the nearest existing ancestor for a missing path', () => {
    const source = parseYamlText('p.yml', text);
    expect(source.locate(['steps', 0, 'nope', 'deeper'])).toEqual({ file: 'p.yml', line: 3, col: 5 });
  });
});

describe('parseYamlText', () => {
  it('reports a syntax error with its position and no stack', () => {
    const error = (() => {
      try {
        parseYamlText('broken.yml', 'name: x\nsteps: [\n');
      } catch (caught) {
        return caught;
      }
    })() as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems[0]!.location).toEqual({ file: 'broken.yml', line: 3, col: 1 });
    expect(error.problems[0]!.message).toMatch(/^invalid YAML: /);
  });

  it('rejects a key written twice in one map', () => {
    expect(() => parseYamlText('dup.yml', 'name: a\nname: b\n')).toThrow(
      /dup\.yml:2:1: invalid YAML: Map keys must be unique/,
    );
  });
});

describe('bounded YAML', () => {
  const blockNesting = (levels: number) =>
    Array.from({ length: levels }, (_, level) => `${'  '.repeat(level)}a:`).join('\n') + ' 1\n';

  it('refuses nesting past 64 levels at the first value that goes too deep, block or flow', () => {
    expect(inputProblemOf(() => parseYamlText('deep.yml', blockNesting(100)))).toBe(
      'deep.yml:65:129: nested more than 64 levels deep: the most a file here may nest',
    );
    expect(inputProblemOf(() => parseYamlText('flow.yml', `${'['.repeat(100)}${']'.repeat(100)}\n`))).toBe(
      'flow.yml:1:65: nested more than 64 levels deep: the most a file here may nest',
    );
    expect(parseYamlText('ok.yml', blockNesting(60)).value).toBeTruthy();
  });

  it('refuses nesting so deep that the parser runs out of stack, with a location, never a crash', () => {
    expect(inputProblemOf(() => parseYamlText('deeper.yml', blockNesting(2000)))).toBe(
      'deeper.yml:65:129: nested more than 64 levels deep: the most a file here may nest',
    );
    expect(inputProblemOf(() => parseYamlText('flow.yml', `${'['.repeat(50_000)}${']'.repeat(50_000)}\n`))).toMatch(
      /^flow\.yml:1:\d+: nested more than 64 levels deep/,
    );
  });

  it('refuses an alias bomb at its first alias instead of expanding it', () => {
    let bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    let previous = 'a';
    for (const name of 'bcdefghij') {
      bomb += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
      previous = name;
    }
    expect(inputProblemOf(() => parseYamlText('bomb.yml', bomb).value)).toBe(
      'bomb.yml:2:8: its aliases expand to more than 1000 copies (an alias bomb?): write the values out',
    );
    expect(parseYamlText('anchors.yml', 'base: &base {a: 1}\nuse: *base\n').value).toEqual({
      base: { a: 1 },
      use: { a: 1 },
    });
  });
});
