import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../runner/input/input-error.js';
import { keepParsedYaml } from '../../runner/input/parsed-yaml-cache.js';
import { parseYamlText } from '../../runner/input/yaml-source.js';
import { tempDir } from '../helpers/temp-dir.js';

const playbook = `name: demo
steps:
  - name: first
    command:
      argv: [echo, "{{ greeting }}"]
`;

afterEach(() => keepParsedYaml(undefined));

async function keptIn(buildId = 'a'.repeat(64)) {
  const cacheDir = await tempDir();
  keepParsedYaml({ cacheDir, buildId });
  const entries = () => {
    const dir = join(cacheDir, `yaml-${buildId.slice(0, 16)}`);
    return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
  };
  return { cacheDir, entries };
}

describe('parsed YAML kept between runs', () => {
  it('keeps nothing unless the CLI asked for it', async () => {
    const { entries } = await keptIn();
    keepParsedYaml(undefined);
    expect(parseYamlText('p.yml', playbook).value).toBeTruthy();
    expect(entries()).toEqual([]);
  });

  it('gives the same value from what it kept, and finds positions by parsing when one is asked for', async () => {
    const { entries } = await keptIn();
    const first = parseYamlText('p.yml', playbook);
    const value = first.value;
    expect(entries()).toHaveLength(1);
    const again = parseYamlText('p.yml', playbook);
    expect(again.value).toEqual(value);
    expect(again.locate(['steps', 0, 'command', 'argv', 1])).toEqual({ file: 'p.yml', line: 5, col: 20 });
  });

  it('uses a kept value only for exactly the text it was made from', async () => {
    const { entries } = await keptIn();
    expect(parseYamlText('p.yml', playbook).value).toBeTruthy();
    const [entry] = entries();
    const kept = JSON.parse(readFileSync(entry!, 'utf8')) as { text: string; value: { name: string } };
    // A kept value is what a later run reads: marked here, to tell it from a fresh parse.
    writeFileSync(entry!, JSON.stringify({ ...kept, value: { ...kept.value, name: 'from the cache' } }));
    expect(parseYamlText('p.yml', playbook).value).toMatchObject({ name: 'from the cache' });
    // Another text under the same file name (as a hash collision would put it) is parsed afresh.
    writeFileSync(entry!, JSON.stringify({ text: `${playbook} `, value: { name: 'from the cache' } }));
    expect(parseYamlText('p.yml', playbook).value).toMatchObject({ name: 'demo' });
    writeFileSync(entry!, '{"text": "half a file');
    expect(parseYamlText('p.yml', playbook).value).toMatchObject({ name: 'demo' });
  });

  it('parses a changed text afresh', async () => {
    await keptIn();
    expect(parseYamlText('p.yml', playbook).value).toBeTruthy();
    const changed = playbook.replace('first', 'renamed');
    expect(parseYamlText('p.yml', changed).value).toMatchObject({ steps: [{ name: 'renamed' }] });
  });

  it('never keeps a text with a problem: each run reports it with its position', async () => {
    const { entries } = await keptIn();
    for (let run = 0; run < 2; run += 1) {
      const error = (() => {
        try {
          return parseYamlText('dup.yml', 'name: a\nname: b\n').value;
        } catch (caught) {
          return caught;
        }
      })() as InputError;
      expect(error).toBeInstanceOf(InputError);
      expect(error.problems[0]!.location).toMatchObject({ file: 'dup.yml', line: 2, col: 1 });
    }
    expect(entries()).toEqual([]);
  });

  it('keeps nothing JSON would change: infinities, NaN, -0', async () => {
    const { entries } = await keptIn();
    for (const text of ['size: .inf\n', 'size: .nan\n', 'size: -0.0\n', 'a: -.inf\n'])
      expect(parseYamlText('v.yml', text).value).toBeTruthy();
    expect(entries()).toEqual([]);
    expect(Object.is((parseYamlText('v.yml', 'size: -0.0\n').value as { size: number }).size, -0)).toBe(true);
  });

  it('keeps nothing for a text whose aliases make it many times its size', async () => {
    const { entries } = await keptIn();
    const anchor = `base: &b {${Array.from({ length: 200 }, (_, index) => `k${index}: ${index}`).join(', ')}}\n`;
    const text = `${anchor}${Array.from({ length: 100 }, (_, index) => `copy${index}: *b\n`).join('')}`;
    expect(Object.keys(parseYamlText('a.yml', text).value as object)).toHaveLength(101);
    expect(entries()).toEqual([]);
  });

  it('removes what an older build kept when this build keeps its first text', async () => {
    const { cacheDir } = await keptIn();
    const older = join(cacheDir, 'yaml-0000000000000000');
    mkdirSync(older);
    writeFileSync(join(older, 'x.json'), '{}');
    expect(parseYamlText('p.yml', playbook).value).toBeTruthy();
    expect(readdirSync(cacheDir)).toEqual([`yaml-${'a'.repeat(16)}`]);
  });
});
