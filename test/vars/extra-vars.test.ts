import { describe, expect, it } from 'vitest';
import { loadExtraVars } from '../../runner/vars/extra-vars.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('loadExtraVars', () => {
  it('takes key=value as a string, keeping everything after the first =', async () => {
    const layer = await loadExtraVars(['a=1', 'b=x=y', 'c=']);
    expect(layer.values).toEqual({ a: '1', b: 'x=y', c: '' });
    expect(layer.nested).toBe(true);
  });

  it('reads @file.yml and a {json} map, later items winning', async () => {
    const dir = await tempDir({ 'e.yml': 'a: 1\nlist: [x, y]\n' });
    const layer = await loadExtraVars([`@${dir}/e.yml`, '{"a": 2}']);
    expect(layer.values).toEqual({ a: 2, list: ['x', 'y'] });
  });

  it('refuses an item that is none of the three forms', async () => {
    await expect(loadExtraVars(['just-a-word'])).rejects.toThrow(
      '-e "just-a-word": expected key=value (key made of letters, digits and _), @file.yml or a {map}',
    );
    await expect(loadExtraVars(['1abc=x'])).rejects.toThrow('expected key=value');
  });

  it('refuses an extra-vars file that is not a map, with its position', async () => {
    const dir = await tempDir({ 'e.yml': '- a\n' });
    await expect(loadExtraVars([`@${dir}/e.yml`])).rejects.toThrow(
      `${dir}/e.yml:1:1: an extra-vars file must be a map`,
    );
  });

  it('checks the names of a {map} and an @file as the inventory does, with their positions', async () => {
    const dir = await tempDir({ 'names.yml': 'ok: 1\n"bad name": 2\n' });
    await expect(loadExtraVars(['{"a b": 1}'])).rejects.toThrow(
      '-e:1:2: "a b" is not a valid variable name: use letters, digits and _, not starting with a digit',
    );
    await expect(loadExtraVars(['{"": 1}'])).rejects.toThrow('-e:1:2: "" is not a valid variable name');
    await expect(loadExtraVars(['{"1st": 1}'])).rejects.toThrow('"1st" is not a valid variable name');
    await expect(loadExtraVars([`@${dir}/names.yml`])).rejects.toThrow(
      `${dir}/names.yml:2:1: "bad name" is not a valid variable name`,
    );
  });
});
