import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { backupFile, kubeListText, parseKubeList } from '../../../runner/plugins/kube/kube-list.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { stressRounds } from '../../helpers/stress.js';

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
    // managedFields' `.` keys stay `.`: the yaml package alone reads a plain `.` as NaN.
    expect(parseKubeList(pvYaml)).toEqual(parse(pvYaml.replace(/^(\s*)\.:/gm, "$1'.':"), { version: '1.1' }));
    expect(JSON.stringify(parseKubeList(pvYaml))).toContain('"f:annotations":{".":{}');
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

  it('read plain scalars as kubectl wrote them: YAML 1.1, with the decimal number forms Go reads too', () => {
    const read = (scalar: string) =>
      (parseKubeList(`items: [{v: ${scalar}}]`) as { items: { v: unknown }[] }).items[0]!.v;
    const yaml11 = (scalar: string) =>
      (parse(`items: [{v: ${scalar}}]`, { version: '1.1' }) as { items: { v: unknown }[] }).items[0]!.v;
    // Where the YAML 1.1 reading and Go's agree, the same as the yaml package reads them.
    for (const scalar of [
      'yes',
      'No',
      'on',
      'OFF',
      'y',
      'N',
      'true',
      '~',
      'null',
      '0777',
      '0x1F',
      '0b101',
      '1_000',
      '+12',
      '08',
      '1:20',
      '190:20:30.15',
      '1.5',
      '1e3',
      '1e+06',
      '1.5e-07',
      '.inf',
      '-.Inf',
      '.NaN',
      '0e0',
      '-0',
      '2001-12-14T21:59:43Z',
      'a b',
      '10Gi',
      'ReadWriteOnce',
    ])
      expect(read(scalar), scalar).toEqual(yaml11(scalar));
    // Where the yaml package reads a number Go would not: a string, as kubectl meant it.
    expect(read('.')).toBe('.');
    expect(read('e3')).toBe('e3');
    expect(read('1e400')).toBe('1e400');
    // An 0o prefix is YAML 1.2's octal, not 1.1's: a string, as before.
    expect(read('0o17')).toBe('0o17');
  });

  it('read any list the seed could save as the same data, however its strings look', () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'yes',
        'no',
        'on',
        '08',
        '1e3',
        '0o17',
        '.',
        'e3',
        '1:20',
        '~',
        '2001-12-14',
        '<<',
        '- a',
        '#x',
        ': y',
        '"q',
        "'s",
      ),
    );
    const value = fc.oneof(
      text,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    const item = fc.dictionary(
      fc.oneof(
        text.filter((key) => key !== '<<'),
        fc.constantFrom('name', 'spec'),
      ),
      fc.oneof(
        value,
        fc.array(value, { maxLength: 3 }),
        fc.dictionary(
          text.filter((key) => key !== '<<'),
          value,
          { maxKeys: 3 },
        ),
      ),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 4 }), (items) => {
        const list = { apiVersion: 'v1', kind: 'List', items };
        // As `kubectl get -o yaml` writes a list: YAML 1.1, every string that would read as something else quoted.
        const saved = stringify(list, { version: '1.1', lineWidth: 0 });
        // Compared as the JSON the restore files are written in (where -0 is 0).
        expect(JSON.parse(JSON.stringify(parseKubeList(saved)))).toEqual(JSON.parse(JSON.stringify(list)));
      }),
      { numRuns: stressRounds(500, 30_000) },
    );
  });

  it('leave aliases, and what the fast reader refuses, to the checked reader: its bounds and its messages', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, level) =>
          `${String.fromCharCode(98 + level)}: &${String.fromCharCode(98 + level)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + level)}`)
            .join(', ')}]`,
      ),
      'items: []',
    ].join('\n');
    expect(() => parseKubeList(bomb)).toThrow(/alias/i);
    expect(parseKubeList('base: &b {x: 1}\nitems: [*b]')).toEqual({ base: { x: 1 }, items: [{ x: 1 }] });
    expect(() => parseKubeList('items: [\n')).toThrow(
      /Flow sequence in block collection must be sufficiently indented|Missing , or : between flow sequence items|flow sequence/i,
    );
  });
});
