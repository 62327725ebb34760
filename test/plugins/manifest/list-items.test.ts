import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { documentAsItem, itemAsDocument, splitListItems } from '../../../runner/plugins/manifest/list-items.js';

const pvText = readFileSync(new URL('../../fixtures/pv-restore/pv-intree.yaml', import.meta.url), 'utf8');

describe('splitListItems', () => {
  it('cuts what kubectl get -o yaml prints into head, one block per item, and tail', () => {
    const list = splitListItems(pvText, 'items')!;
    expect(list.head).toEqual(['apiVersion: v1', 'items:']);
    expect(list.items).toHaveLength(4);
    expect(list.indent).toBe(0);
    expect(list.tail[0]).toBe('kind: List');
    expect([...list.head, ...list.items.flat(), ...list.tail].join('\n')).toBe(pvText);
    expect(list.items.map((lines) => parse(itemAsDocument(lines, 0)).metadata.name)).toEqual(
      parse(pvText).items.map((pv: { metadata: { name: string } }) => pv.metadata.name),
    );
  });

  it('reads lists indented under their key, with blank lines and comments inside items', () => {
    const text = 'items:\n  - name: a\n    # inside\n    note: |\n      - not an item\n\n  - name: b\nkind: List\n';
    const list = splitListItems(text, 'items')!;
    expect(list.indent).toBe(2);
    expect(list.items).toEqual([
      ['  - name: a', '    # inside', '    note: |', '      - not an item', ''],
      ['  - name: b'],
    ]);
    expect(list.tail).toEqual(['kind: List', '']);
  });

  it.each([
    ['several documents', 'items:\n- a: 1\n---\nitems:\n- b: 2\n'],
    ['CRLF line ends', 'items:\r\n- a: 1\r\n'],
    ['a tab in indentation', 'items:\n- a:\n\t b: 1\n'],
    ['a comment between items', 'items:\n- a: 1\n# between\n- a: 2\n'],
    ['a flow list', 'items: [{a: 1}]\n'],
    ['no such key', 'other:\n- a: 1\n'],
    ['the key only inside a block scalar', 'text: |\n  items:\n  - a: 1\n'],
    ['a comment before the first item', 'items:\n# first\n- a: 1\n'],
    ['a key that is not plain', 'items:\n- a: 1\n'],
  ])('leaves %s to the whole-file path', (_name, text) => {
    expect(splitListItems(text, _name === 'a key that is not plain' ? 'it ems' : 'items')).toBeUndefined();
  });
});

describe('itemAsDocument and documentAsItem', () => {
  it('turn an item into a document and back at the same indentation', () => {
    const lines = ['  - name: a', '    list:', '      - x', '', '    text: |', '      two', '      lines'];
    const document = itemAsDocument(lines, 2);
    expect(parse(document)).toEqual({ name: 'a', list: ['x'], text: 'two\nlines\n' });
    expect(documentAsItem('name: a\nlist:\n  - x\n\ntext: |\n  two\n  lines\n', 2)).toEqual(lines);
  });
});
