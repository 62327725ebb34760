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
    await expect(loadExtraVars(['just-a-word'])).rejects.toThrow('-e "just-a-word": expected key=value, @file.yml or a {map}');
    await expect(loadExtraVars(['1abc=x'])).rejects.toThrow('expected key=value');
  });

  it('refuses an extra-vars file that is not a map, with its position', async () => {
    const dir = await tempDir({ 'e.yml': '- a\n' });
    await expect(loadExtraVars([`@${dir}/e.yml`])).rejects.toThrow(`${dir}/e.yml:1:1: an extra-vars file must be a map`);
  });
});
