import { describe, expect, it } from 'vitest';
import { InputError } from '../../runner/load/input-error.js';
import { parseYamlText } from '../../runner/load/yaml-source.js';

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
    expect(() => parseYamlText('dup.yml', 'name: a\nname: b\n')).toThrow(/dup\.yml:2:1: invalid YAML: Map keys must be unique/);
  });
});
