import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseValuesText } from '../../runner/input/values-text.js';

describe('a values file, read as helm reads it', () => {
  it('gives what the yaml package gives for YAML 1.2 core scalars', () => {
    const text =
      'a: yes\nb: True\nc: 0o17\nd: 017\ne: 0x1F\nf: ~\ng: 1_000\nh: +12\ni: "quoted: {{ x }}"\nj: [1, two]\n';
    expect(parseValuesText('v.yaml', text)).toEqual(parse(text));
  });

  it('refuses a key twice in one map, naming its line, in one pass over a map of 100,000 keys', () => {
    const keys = Array.from({ length: 100_000 }, (_, index) => `  key${index}: ${index}`);
    const text = `hub:\n${keys.join('\n')}\n  key7: again\n`;
    expect(() => parseValuesText('v.yaml', text)).toThrow(
      /Map keys must be unique at line 100002|duplicated mapping key/,
    );
  });

  it('reads aliases through the bounded reader', () => {
    expect(parseValuesText('v.yaml', 'base: &b {x: 1}\nother: *b\n')).toEqual({ base: { x: 1 }, other: { x: 1 } });
  });
});
