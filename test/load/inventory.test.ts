import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../runner/load/inventory.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('loadInventory', () => {
  it('merges the YAML files of a directory in name order and names the site after it', async () => {
    const dir = await tempDir({
      'jetstream/a.yml': 'namespace: jhub\n',
      'jetstream/b.yaml': 'domain: js-1.org\n',
      'jetstream/notes.txt': 'ignored',
    });
    const inventory = await loadInventory(`${dir}/jetstream`);
    expect(inventory.layer.values).toEqual({ namespace: 'jhub', domain: 'js-1.org' });
    expect(inventory.site).toBe('jetstream');
    expect(inventory.layer.locate(['domain'])).toEqual({ file: `${dir}/jetstream/b.yaml`, line: 1, col: 9 });
  });

  it("reads the files its variables name (config_file, secrets_file) as data, not inventory: helm's values are never rendered", async () => {
    const dir = await tempDir({
      'site/site.yml':
        'config_file: "{{ inventory_dir }}/config.yaml"\nsecrets_file: "{{inventory_dir}}/secrets.yaml"\nnamespace: jhub\n',
      // A Python template in hub.extraConfig, and hub defined in both files, as the seed's files have it.
      'site/config.yaml':
        'hub:\n  extraConfig:\n    banner: |\n      c.JupyterHub.template_vars = {"note": "{{ user }}"}\n',
      'site/secrets.yaml': 'hub:\n  cookieSecret: aaaa\nproxy:\n  secretToken: bbbb\n',
    });
    const inventory = await loadInventory(`${dir}/site`);
    expect(Object.keys(inventory.layer.values).sort()).toEqual(['config_file', 'namespace', 'secrets_file']);
  });

  it('takes site_name when given', async () => {
    const dir = await tempDir({ 'site.yml': 'site_name: production\n' });
    expect((await loadInventory(`${dir}/site.yml`)).site).toBe('production');
  });

  it('refuses a variable defined in two files of one site, naming both places', async () => {
    const dir = await tempDir({ 's/a.yml': 'domain: a\n', 's/b.yml': '\ndomain: b\n' });
    await expect(loadInventory(`${dir}/s`)).rejects.toThrow(
      `${dir}/s/b.yml:2:1: variable 'domain' is already defined at ${dir}/s/a.yml:1:1; define it once per site`,
    );
  });

  it('refuses a file that is not a map and names that are not variable names', async () => {
    const dir = await tempDir({ 'list.yml': '- a\n', 'names.yml': 'ok: 1\nnot-ok: 2\n' });
    await expect(loadInventory(`${dir}/list.yml`)).rejects.toThrow(
      `${dir}/list.yml:1:1: an inventory file must be a map of variable names to values`,
    );
    await expect(loadInventory(`${dir}/names.yml`)).rejects.toThrow(
      `${dir}/names.yml:2:1: "not-ok" is not a valid variable name`,
    );
  });

  it('refuses a missing path and an empty directory', async () => {
    const dir = await tempDir({ 'empty/.keep': '' });
    await expect(loadInventory(`${dir}/nope`)).rejects.toThrow(
      `cannot read inventory ${dir}/nope: no such file or directory`,
    );
    await expect(loadInventory(`${dir}/empty`)).rejects.toThrow('holds no .yml or .yaml file');
  });
});
