import fc from 'fast-check';
import { load, YAML11_SCHEMA } from 'js-yaml';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadListByItems } from '../../../runner/plugins/kube/kube-list-yaml.js';
import { stressRounds } from '../../helpers/stress.js';

/** The whole-text parse the batches must agree with, counting its calls. */
function counted(): { read: (text: string) => unknown; calls: () => number } {
  let calls = 0;
  return {
    read: (text) => {
      calls += 1;
      return load(text, { schema: YAML11_SCHEMA, maxAliases: 0 });
    },
    calls: () => calls,
  };
}

/** What reading `text` whole gives: the value, or that it throws. */
function whole(text: string): { value: unknown } | 'throws' {
  try {
    return { value: counted().read(text) };
  } catch {
    return 'throws';
  }
}

/** Batches agree with the whole parse, or decline; never a different list. */
function expectAgrees(text: string): unknown {
  const expected = whole(text);
  const batched = loadListByItems(text, counted().read);
  if (batched !== undefined) expect(expected).toEqual({ value: batched });
  return batched;
}

const volume = (index: number) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: `pvc-${index}`, annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } },
  spec: { capacity: { storage: '10Gi' }, claimRef: { name: `claim-user${index}`, namespace: 'jhub' } },
});

describe('a kubectl list in YAML read a batch of items at a time', () => {
  it("reads kubectl's own layout and the indented one in batches, the same as a whole parse", () => {
    const items = Array.from({ length: 3000 }, (_, index) => volume(index));
    const list = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
    for (const indentSeq of [false, true]) {
      const text = stringify(list, { indentSeq, version: '1.1' });
      expect(text).toContain(indentSeq ? '\n  - apiVersion' : '\n- apiVersion');
      const parser = counted();
      const batched = loadListByItems(text, parser.read);
      expect({ value: batched }).toEqual(whole(text));
      expect((batched as { items: unknown[] }).items).toHaveLength(3000);
      // Several batches and the rest of the list, not one parse of everything.
      expect(parser.calls()).toBeGreaterThan(3);
    }
  });

  it('agrees with a whole parse on any list, whatever its scalars and styles, or declines', () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '- x',
        '\n- a: b\n',
        'items:',
        'kind: List',
        '"',
        "'",
        '#',
        '---',
        '...',
        '&a',
        '*a',
        'yes',
        '0777',
      ),
      fc.integer(),
      fc.boolean(),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    const styles = fc.record({
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 8, 20),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
    });
    let batchedLists = 0;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), styles, (items, style) => {
        const text = stringify({ apiVersion: 'v1', items, kind: 'List' }, { ...style, version: '1.1' } as never);
        if (expectAgrees(text) !== undefined) batchedLists += 1;
      }),
      { numRuns: stressRounds(60, 400) },
    );
    // The property holds on lists actually read in batches, not only on declined ones.
    expect(batchedLists).toBeGreaterThan(0);
  });

  it('declines, or agrees, on hand edits that would fool a reader of lines', () => {
    const texts = [
      // An `items:` inside a quoted string, and the real, empty one after it.
      'note: "x\nitems:\n- b\nc"\nitems: []\n',
      // A list entry at the start of a line that is inside a quoted string.
      'items:\n- a: "one\n- two"\n- b: 3\nkind: List\n',
      "items:\n- a: 'one\n- two'\nkind: List\n",
      // An alias to an anchor of another entry, and an anchor of the rest of the list.
      'items:\n- &first {a: 1}\n- *first\n',
      'base: &b {x: 1}\nitems:\n- *b\n',
      // Two `items` keys, a second document, a flow mapping around the list, a tab, a tag directive.
      'items:\n- a\nitems:\n- b\n',
      'items:\n- a\n---\nitems:\n- b\n',
      '{\nitems:\n- b\n}\n',
      'items:\n-\ta\n\t- b\n',
      '%TAG !k! tag:example.com,2000:\n---\nitems:\n- !k!x a\n',
      // A continuation of the last entry below the list's indentation.
      'items:\n  - a: b\n c\nkind: List\n',
      // Comments and blank lines between entries, and CRLF line ends.
      'items: # the volumes\n\n# first\n- a: 1\n\n  # inside\n- b: 2\nkind: List\n',
      'apiVersion: v1\r\nitems:\r\n- a: 1\r\n- b: 2\r\nkind: List\r\n',
      // A block scalar whose lines look like entries of the list.
      'items:\n- script: |\n    - not an entry\n    items:\n- b\n',
    ];
    const batched = texts.map((text) => expectAgrees(text));
    // The layouts kubectl and people write are still read in batches.
    expect(batched.at(-1)).toEqual({ items: [{ script: '- not an entry\nitems:\n' }, 'b'] });
    expect(batched.at(-2)).toEqual({ apiVersion: 'v1', items: [{ a: 1 }, { b: 2 }], kind: 'List' });
    expect(batched.at(-3)).toEqual({ items: [{ a: 1 }, { b: 2 }], kind: 'List' });
    // The smuggled `items:` is never taken for the list.
    expect(batched[0]).toBeUndefined();
  });

  it('declines when a batch does not read back as exactly its own entries', () => {
    const text = stringify({ items: Array.from({ length: 400 }, (_, index) => volume(index)) });
    const { read } = counted();
    const merging = (part: string) => {
      const value = read(part);
      return Array.isArray(value) && value.length > 1 ? value.slice(1) : value;
    };
    expect(loadListByItems(text, merging)).toBeUndefined();
    expect(loadListByItems(text, read)).toEqual(read(text));
  });
});
