import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyOperations, type OperationSpec } from '../../../runner/plugins/manifest/apply-ops.js';
import { editJson } from '../../../runner/plugins/manifest/edit-json.js';
import { parseStream, serializeStream } from '../../../runner/plugins/manifest/yaml-stream.js';

function editYaml(text: string, operations: OperationSpec[], each?: string) {
  const outcome = applyOperations(parseStream(text), operations, each);
  return {
    text: outcome.changed === 0 ? text : serializeStream(outcome.documents, true),
    changed: outcome.changed,
    objects: outcome.objects,
  };
}

const key = fc.constantFrom('a', 'b', 'c');
const scalar = fc.oneof(
  fc.integer(),
  fc.constantFrom('yes', '0755', 'jhub', 'other', 'two\nlines', '__proto__', ''),
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
const path = fc.array(fc.oneof(key, fc.constant(0)), { minLength: 1, maxLength: 3 });
const operation: fc.Arbitrary<OperationSpec> = fc.oneof(
  fc.record({ set: path, value: fc.oneof(scalar, fc.constant({ x: [1] })) }),
  fc.record({ delete: path }),
  fc.record({
    set: path,
    value: scalar,
    where: fc.record({ path: fc.constant('name'), equals: fc.constantFrom('claim-a', 'claim-b') }),
  }),
  fc.record({ keep: fc.record({ path: fc.constant('namespace'), equals: fc.constantFrom('jhub', 'other') }) }),
  fc.record({ drop: fc.record({ path: fc.constant('name'), equals: fc.constant('hub-db-dir') }) }),
);

describe('editJson', () => {
  it('gives the same data, edit count and object count as the YAML path on the same list', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 6 }),
        fc.array(operation, { minLength: 1, maxLength: 4 }),
        (items, operations) => {
          const list = { apiVersion: 'v1', items, kind: 'List' };
          let yaml;
          try {
            yaml = editYaml(stringify(list), operations, 'items');
          } catch (error) {
            expect((error as Error).message).toMatch(/^cannot set/);
            expect(() => editJson(JSON.stringify(list, null, 4), operations, 'items')).toThrow(/^cannot set/);
            return;
          }
          const json = editJson(JSON.stringify(list, null, 4), operations, 'items')!;
          expect(JSON.parse(json.text)).toEqual(parse(yaml.text));
          expect({ changed: json.changed, objects: json.objects }).toEqual({
            changed: yaml.changed,
            objects: yaml.objects,
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('edits a whole document the same way as the YAML path when there is no list', () => {
    fc.assert(
      fc.property(item, fc.array(operation, { minLength: 1, maxLength: 4 }), (object, operations) => {
        let yaml;
        try {
          yaml = editYaml(stringify(object), operations);
        } catch {
          return;
        }
        const json = editJson(JSON.stringify(object), operations, undefined);
        if (yaml.objects === 0) {
          expect(json).toBeUndefined();
          return;
        }
        expect(JSON.parse(json!.text)).toEqual(parse(yaml.text));
        expect(json!.changed).toBe(yaml.changed);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps kubectl's four-space layout and final newline, and returns the text itself when nothing changes", () => {
    const text =
      '{\n    "items": [\n        {\n            "status": {"phase": "Bound"},\n            "spec": {}\n        }\n    ]\n}\n';
    const edited = editJson(text, [{ delete: 'status' }], 'items')!;
    expect(edited.text).toBe('{\n    "items": [\n        {\n            "spec": {}\n        }\n    ]\n}\n');
    expect(edited).toMatchObject({ changed: 1, objects: 1 });
    expect(editJson(text, [{ delete: 'absent' }], 'items')!.text).toBe(text);
  });

  it('writes a tab-indented or one-line file back the same way', () => {
    expect(editJson('{\n\t"a": 1\n}', [{ set: 'a', value: 2 }], undefined)!.text).toBe('{\n\t"a": 2\n}');
    expect(editJson('{"a":1,"b":2}', [{ delete: 'b' }], undefined)!.text).toBe('{"a":1}');
  });

  it('leaves YAML, including YAML flow style, to the YAML path', () => {
    expect(editJson('items: []\n', [{ delete: 'a' }], 'items')).toBeUndefined();
    expect(editJson('{a: 1}\n', [{ delete: 'a' }], undefined)).toBeUndefined();
    expect(editJson('[1, 2', [{ delete: 'a' }], undefined)).toBeUndefined();
  });

  it('stores a key named __proto__ as data, never as the prototype', () => {
    const edited = editJson(
      '{"metadata": {}}',
      [{ set: ['metadata', '__proto__', 'polluted'], value: true }],
      undefined,
    )!;
    expect(JSON.parse(edited.text)).toEqual(JSON.parse('{"metadata": {"__proto__": {"polluted": true}}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
