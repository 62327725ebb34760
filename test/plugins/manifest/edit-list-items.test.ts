import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyOperations, type OperationSpec } from '../../../runner/plugins/manifest/apply-ops.js';
import { editListItems } from '../../../runner/plugins/manifest/edit-list-items.js';
import { parseStream, serializeStream } from '../../../runner/plugins/manifest/yaml-stream.js';

function editWhole(text: string, operations: OperationSpec[], indentSeq: boolean) {
  const outcome = applyOperations(parseStream(text), operations, 'items');
  return {
    text: outcome.changed === 0 ? text : serializeStream(outcome.documents, indentSeq),
    changed: outcome.changed,
    objects: outcome.objects,
  };
}

const key = fc.constantFrom('a', 'b', 'c');
const scalar = fc.oneof(
  fc.integer(),
  fc.constantFrom('yes', '0755', 'jhub', 'other', 'two\nlines', '- dash', '# hash', ''),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.dictionary(key, tie('node'), { maxKeys: 3 }),
    fc.array(tie('node'), { maxLength: 2 }),
  ),
})).node;
const item = fc.record({
  name: fc.constantFrom('hub-db-dir', 'claim-a', 'claim-b'),
  namespace: fc.constantFrom('jhub', 'other'),
  a: value,
  b: value,
});
const path = fc.array(key, { minLength: 1, maxLength: 2 });
const operation: fc.Arbitrary<OperationSpec> = fc.oneof(
  fc.record({ set: path, value: scalar }),
  fc.record({ delete: path }),
  fc.record({ keep: fc.record({ path: fc.constant('namespace'), equals: fc.constantFrom('jhub', 'other') }) }),
  fc.record({ drop: fc.record({ path: fc.constant('name'), equals: fc.constant('hub-db-dir') }) }),
);

describe('editListItems', () => {
  it('gives the same data, edit count and object count as editing the file whole', () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 6 }),
        fc.array(operation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (items, operations, indentSeq) => {
          const text = stringify({ apiVersion: 'v1', items, kind: 'List' }, { indentSeq, lineWidth: 0 });
          let whole;
          try {
            whole = editWhole(text, operations, indentSeq);
          } catch (error) {
            // Setting through a scalar is refused either way (the first item, not the first operation, may be the one named).
            expect((error as Error).message).toMatch(/^cannot set/);
            expect(() => editListItems(text, operations, 'items', indentSeq)).toThrow(/^cannot set/);
            return;
          }
          const byItem = editListItems(text, operations, 'items', indentSeq);
          if (whole.objects === 0) {
            expect(byItem).toBeUndefined();
            return;
          }
          expect(byItem).toBeDefined();
          expect(parse(byItem!.text)).toEqual(parse(whole.text));
          expect({ changed: byItem!.changed, objects: byItem!.objects }).toEqual({
            changed: whole.changed,
            objects: whole.objects,
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('writes an item no operation touches back byte for byte, comments and quoting included', () => {
    const text = 'items:\n- name: a   # spaced comment\n  mode: \'0755\'\n- name: b\n  mode: "x"\nkind: List\n';
    const result = editListItems(
      text,
      [{ set: 'mode', value: 'RWO', where: { path: 'name', equals: 'b' } }],
      'items',
      false,
    )!;
    expect(result.text).toBe(
      "items:\n- name: a   # spaced comment\n  mode: '0755'\n- name: b\n  mode: RWO\nkind: List\n",
    );
    expect(result).toMatchObject({ changed: 1, objects: 2 });
  });

  it('leaves a file whose items share an anchor to the whole-file path', () => {
    const text = 'items:\n- labels: &common {app: hub}\n- labels: *common\n';
    expect(editListItems(text, [{ delete: 'other' }], 'items', false)).toBeUndefined();
    expect(
      editListItems('items:\n- a: 1\ntail: *x\nanchor: &x 2\n', [{ delete: 'a' }], 'items', false),
    ).toBeUndefined();
    expect(parse(editWhole(text, [{ set: 'x', value: 1 }], false).text).items[1]).toEqual({
      labels: { app: 'hub' },
      x: 1,
    });
  });
});
