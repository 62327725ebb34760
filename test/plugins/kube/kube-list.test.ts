import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { backupFile, kubeListText, parseKubeList } from '../../../runner/plugins/kube/kube-list.js';
import { tempDir } from '../../helpers/temp-dir.js';

const pvYaml = readFileSync(new URL('../../fixtures/pv-restore/pv-intree.yaml', import.meta.url), 'utf8');

describe('kubectl lists saved in a backup', () => {
  it('are written as indented JSON that reads back as the same list', () => {
    const items = parse(pvYaml).items;
    const text = kubeListText(items);
    expect(text).toMatch(/^\{\n  "apiVersion": "v1",\n  "items": \[\n/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseKubeList(text)).toEqual({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } });
  });

  it('are read from JSON or from the YAML the seed saves, YAML 1.1 quoting included', () => {
    expect(parseKubeList(pvYaml)).toEqual(parse(pvYaml, { version: '1.1' }));
    expect(parseKubeList('{items: [{a: yes}]}')).toEqual({ items: [{ a: true }] });
    expect(parseKubeList('{"items": [{"a": "yes"}]}')).toEqual({ items: [{ a: 'yes' }] });
    expect(() => parseKubeList('{"items": [')).toThrow();
  });

  it("name the runner's JSON files, or the seed's YAML ones when only those are there", async () => {
    const ours = await tempDir({ 'pv.json': '{}', 'pv.yaml': 'items: []' });
    expect(backupFile(ours, 'pv')).toBe(`${ours}/pv.json`);
    const seeds = await tempDir({ 'pv.yaml': 'items: []' });
    expect(backupFile(seeds, 'pv')).toBe(`${seeds}/pv.yaml`);
    expect(backupFile(seeds, 'pvc')).toBe(`${seeds}/pvc.json`);
    writeFileSync(`${seeds}/pvc.yaml`, 'items: []');
    expect(backupFile(seeds, 'pvc')).toBe(`${seeds}/pvc.yaml`);
  });
});
