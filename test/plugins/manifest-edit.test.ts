import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { manifestEditPlugin } from '../../runner/plugins/manifest-edit.js';
import { PlanError } from '../../runner/plugin-contract/plan-error.js';

const pvText = readFileSync(new URL('../fixtures/pv-restore/pv-intree.yaml', import.meta.url), 'utf8');
const pvcText = readFileSync(new URL('../fixtures/pv-restore/pvc-intree.yaml', import.meta.url), 'utf8');

type Args = Parameters<typeof manifestEditPlugin.plan>[0];

function plan(
  args: Partial<Args> & Pick<Args, 'ops'>,
  source: string | undefined,
  ...destination: [string | undefined] | []
) {
  return manifestEditPlugin.plan({ path: 'pv.yaml', ...args } as Args, {
    source,
    destination: destination.length > 0 ? destination[0] : source,
    mode: undefined,
  });
}

const rebuildOps: Args['ops'] = [
  { drop: { path: 'spec.claimRef.name', equals: 'hub-db-dir' } },
  { set: 'spec.persistentVolumeReclaimPolicy', value: 'Retain' },
  { delete: 'spec.claimRef' },
  { delete: 'metadata.managedFields' },
  { delete: 'metadata.annotations["pv.kubernetes.io/bound-by-controller"]' },
];

describe('manifest.edit on kubectl output', () => {
  it('drops hub-db-dir, sets Retain and removes claimRef on every PV of the list', () => {
    const result = plan({ each: 'items', ops: rebuildOps }, pvText);
    expect(result.change).toBe('update');
    const written = parse((result.actions[0] as { content: string }).content) as { items: Record<string, any>[] };
    expect(written.items).toHaveLength(3);
    for (const pv of written.items) {
      expect(pv['spec'].persistentVolumeReclaimPolicy).toBe('Retain');
      expect(pv['spec'].claimRef).toBeUndefined();
      expect(pv['metadata'].managedFields).toBeUndefined();
      expect(pv['metadata'].annotations['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
      expect(pv['metadata'].annotations['pv.kubernetes.io/provisioned-by']).toBe('kubernetes.io/cinder');
      expect(pv['spec'].cinder.volumeID).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('keeps kubectl layout: key order, flush list items and quoted strings', () => {
    const result = plan(
      { each: 'items', ops: [{ set: 'spec.persistentVolumeReclaimPolicy', value: 'Retain' }] },
      pvText,
    );
    const written = (result.actions[0] as { content: string }).content;
    const changedLines = written.split('\n').filter((line, index) => line !== pvText.split('\n')[index]);
    expect(changedLines.every((line) => line.trim() === 'persistentVolumeReclaimPolicy: Retain')).toBe(true);
    expect(written.split('\n')).toHaveLength(pvText.split('\n').length);
  });

  it('shows a diff of exactly what changes', () => {
    const result = plan(
      { each: 'items', ops: [{ set: 'spec.persistentVolumeReclaimPolicy', value: 'Retain' }] },
      pvText,
    );
    expect(result.diffs).toEqual([
      { path: 'pv.yaml', before: pvText, after: (result.actions[0] as { content: string }).content },
    ]);
  });

  it('is ok with a reason once the file is as requested', () => {
    const first = plan({ each: 'items', ops: rebuildOps }, pvText);
    const content = (first.actions[0] as { content: string }).content;
    expect(plan({ each: 'items', ops: rebuildOps }, content)).toMatchObject({
      change: 'none',
      reason: 'pv.yaml already as requested',
      actions: [],
    });
  });

  it("edits `kubectl get -o json` output as JSON: the same data as from YAML, in kubectl's layout", () => {
    const pvJson = `${JSON.stringify(parse(pvText), null, 4)}\n`;
    const fromJson = plan({ path: 'pv.json', each: 'items', ops: rebuildOps }, pvJson);
    const fromYaml = plan({ each: 'items', ops: rebuildOps }, pvText);
    const written = (fromJson.actions[0] as { content: string }).content;
    expect(JSON.parse(written)).toEqual(parse((fromYaml.actions[0] as { content: string }).content));
    expect(written).toBe(`${JSON.stringify(JSON.parse(written), null, 4)}\n`);
    expect(fromJson.data).toEqual(fromYaml.data);
    expect(plan({ path: 'pv.json', each: 'items', ops: rebuildOps }, written)).toMatchObject({
      change: 'none',
      actions: [],
    });
  });

  it("keeps only one namespace's PVCs and strips server fields", () => {
    const result = plan(
      {
        path: 'pvc.yaml',
        each: 'items',
        ops: [
          { keep: { path: 'metadata.namespace', equals: 'jhub' } },
          { drop: { path: 'metadata.name', equals: 'hub-db-dir' } },
          ...['uid', 'resourceVersion', 'creationTimestamp', 'selfLink', 'managedFields'].map((field) => ({
            delete: `metadata.${field}`,
          })),
          { delete: 'status' },
        ],
      },
      pvcText,
    );
    const written = parse((result.actions[0] as { content: string }).content) as { items: Record<string, any>[] };
    expect(written.items.map((pvc) => pvc['metadata'].name).sort()).toEqual([
      'claim-alice',
      'claim-j-2edoe',
      'claim-zonca',
    ]);
    expect(written.items.every((pvc) => pvc['metadata'].uid === undefined && pvc['status'] === undefined)).toBe(true);
    expect(written.items.every((pvc) => typeof pvc['spec'].volumeName === 'string')).toBe(true);
  });

  it('writes to dest and compares against what dest holds', () => {
    const first = plan({ dest: 'out.yaml', each: 'items', ops: rebuildOps }, pvText, undefined);
    expect(first.change).toBe('create');
    expect(first.actions[0]).toMatchObject({ kind: 'write', path: 'out.yaml' });
    const content = (first.actions[0] as { content: string }).content;
    expect(plan({ dest: 'out.yaml', each: 'items', ops: rebuildOps }, pvText, content).change).toBe('none');
  });
});

describe('manifest.edit on documents', () => {
  const stream =
    '# the hub\nkind: Deployment\nmetadata:\n  name: hub # keep me\n---\nkind: Service\nmetadata:\n  name: proxy\n';

  it('edits whole documents, keeping comments', () => {
    const result = plan(
      { ops: [{ set: 'metadata.labels.app', value: 'jupyterhub', where: { path: 'kind', equals: 'Deployment' } }] },
      stream,
    );
    const written = (result.actions[0] as { content: string }).content;
    expect(written).toContain('# the hub');
    expect(written).toContain('name: hub # keep me');
    const documents = parseAllDocuments(written).map((document) => document.toJS());
    expect(documents[0].metadata.labels).toEqual({ app: 'jupyterhub' });
    expect(documents[1].metadata.labels).toBeUndefined();
  });

  it('drops whole documents', () => {
    const result = plan({ ops: [{ drop: { path: 'kind', equals: 'Service' } }] }, stream);
    const documents = parseAllDocuments((result.actions[0] as { content: string }).content);
    expect(documents).toHaveLength(1);
  });
});

describe('manifest.edit failures', () => {
  it('fails with a plan error when the file is missing or not YAML', () => {
    expect(() => plan({ ops: [{ delete: 'a' }] }, undefined)).toThrow(new PlanError('pv.yaml does not exist'));
    expect(() => plan({ ops: [{ delete: 'a' }] }, 'a: [\n')).toThrow(/^pv\.yaml: invalid YAML/);
  });

  it('refuses to set through a scalar', () => {
    expect(() => plan({ ops: [{ set: 'a.b', value: 1 }] }, 'a: text\n')).toThrow(/cannot set a\.b/);
  });

  it('refuses a document that is not a map rather than calling it already as requested', () => {
    const ops: Args['ops'] = [{ set: 'a', value: 1 }];
    expect(() => plan({ ops }, '- a\n- b\n')).toThrow(
      new PlanError(
        'pv.yaml: the document is a list, not a map: the operations edit keys of maps (use each: to edit the items of a list)',
      ),
    );
    expect(() => plan({ ops }, 'just text\n')).toThrow(/the document is a single value, not a map/);
    expect(() => plan({ ops }, 'a: 0\n---\n- x\n')).toThrow(/document 2 is a list, not a map/);
    expect(() => plan({ ops }, '[1, 2]')).toThrow(/the document is a list, not a map/);
    expect(() => plan({ ops, each: 'items' }, 'kind: List\n')).toThrow(/no document has a list at items/);
    expect(() => plan({ ops, each: 'items' }, '{"kind": "List"}')).toThrow(/the document has no list at items/);
    // An empty document (a comment, a stray ---) is no document to edit, not an error.
    expect(plan({ ops }, '# only a comment\n---\na: 0\n').change).toBe('update');
  });
});

describe('manifest.edit properties', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'd');
  const operation = fc.oneof(
    fc.record({
      set: fc.array(key, { minLength: 1, maxLength: 3 }),
      value: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
    }),
    fc.record({ delete: fc.array(key, { minLength: 1, maxLength: 3 }) }),
  );

  const pathOf = (op: { set?: string[]; delete?: string[] }) => (op.set ?? op.delete)!;
  const overlaps = (a: string[], b: string[]) =>
    a.slice(0, Math.min(a.length, b.length)).every((key, index) => key === b[index]);

  it('reaches a fixed point: operations on distinct, non-nesting paths change nothing the second time', () => {
    fc.assert(
      fc.property(
        fc
          .array(operation, { minLength: 1, maxLength: 6 })
          .filter((ops) => ops.every((a, i) => ops.every((b, j) => i === j || !overlaps(pathOf(a), pathOf(b))))),
        (ops) => {
          const source = 'a:\n  b: 1\n# comment\nkeep: true\nc: [x, y]\n';
          let first;
          try {
            first = plan({ ops: ops as Args['ops'] }, source);
          } catch (error) {
            // Only setting through an existing scalar may be refused.
            expect(error).toBeInstanceOf(PlanError);
            expect((error as Error).message).toMatch(/cannot set/);
            return;
          }
          const after = first.change === 'none' ? source : (first.actions[0] as { content: string }).content;
          expect(after).toContain('# comment');
          expect(plan({ ops: ops as Args['ops'] }, after).change).toBe('none');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('manifest.edit and YAML 1.1', () => {
  it('quotes strings that kubectl would read as booleans or numbers', () => {
    const result = plan(
      {
        ops: [
          { set: 'metadata.annotations.bound', value: 'yes' },
          { set: 'data.mode', value: '0755' },
          { set: 'data.y', value: { on: 'off', list: ['1.5', 'fine'] } },
        ],
      },
      'metadata: {}\n',
    );
    const written = (result.actions[0] as { content: string }).content;
    expect(written).toContain('bound: "yes"');
    expect(written).toContain('mode: "0755"');
    expect(written).toContain('"y":\n');
    expect(written).toContain('"on": "off"');
    expect(written).toContain('- "1.5"\n');
    expect(written).toContain('- fine\n');
  });

  it('keeps the lone "." keys of managedFields as they are', () => {
    const result = plan({ ops: [{ set: 'a', value: 1 }] }, 'f:metadata:\n  .: {}\n');
    expect((result.actions[0] as { content: string }).content).toBe('f:metadata:\n  .: {}\na: 1\n');
  });
});

describe('manifest.edit on empty fields', () => {
  it('sets through a null value as through an absent one', () => {
    const result = plan({ ops: [{ set: 'metadata.annotations.a', value: 'b' }] }, 'metadata:\n  annotations:\n');
    expect(parse((result.actions[0] as { content: string }).content)).toEqual({
      metadata: { annotations: { a: 'b' } },
    });
  });

  it('keeps the mode of the file it edits, so a 0600 secrets file stays private', async () => {
    const { runEngine } = await import('../helpers/engine-harness.js');
    const { chmodSync, statSync } = await import('node:fs');
    const playbook =
      'name: edit\nsteps:\n  - name: ingress\n    manifest.edit: {path: "{{ dir }}/secrets.yaml", ops: [{set: ingress.enabled, value: true}]}\n';
    const { tempDir } = await import('../helpers/temp-dir.js');
    const dir = await tempDir({ 'secrets.yaml': 'hub: {}\n' });
    chmodSync(`${dir}/secrets.yaml`, 0o600);
    const run = await runEngine(playbook, { dir });
    expect(run.ends[0]!.status).toBe('changed');
    expect(statSync(`${dir}/secrets.yaml`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${dir}/secrets.yaml`, 'utf8')).toBe('hub: {}\ningress:\n  enabled: true\n');
  });
});

describe('manifest.edit writes', () => {
  it('writes a new dest holding a secret 0600, and a plain one 0644', async () => {
    const { runEngine } = await import('../helpers/engine-harness.js');
    const { statSync } = await import('node:fs');
    const playbook = [
      'name: copy',
      'steps:',
      '  - name: secret copy',
      '    manifest.edit: {path: "{{ dir }}/values.yaml", dest: "{{ dir }}/with-token.yaml", ops: [{set: proxy.secretToken, value: "{{ token }}"}]}',
      '  - name: plain copy',
      '    manifest.edit: {path: "{{ dir }}/values.yaml", dest: "{{ dir }}/plain.yaml", ops: [{set: hub.replicas, value: 1}]}',
      '',
    ].join('\n');
    const { tempDir } = await import('../helpers/temp-dir.js');
    const dir = await tempDir({ 'values.yaml': 'hub: {}\n' });
    const run = await runEngine(playbook, { dir, vars: { token: 'tok-5f3a9c2e1b' }, secrets: ['tok-5f3a9c2e1b'] });
    expect(run.ends.map((end) => end.status)).toEqual(['changed', 'changed']);
    expect(statSync(`${dir}/with-token.yaml`).mode & 0o777).toBe(0o600);
    expect(statSync(`${dir}/plain.yaml`).mode & 0o777).toBe(0o644);
  });

  it('follows a symbolic-link dest the same way in the preview and the write: the target changes, the link stays', async () => {
    const { runEngine } = await import('../helpers/engine-harness.js');
    const { lstatSync, readFileSync: read, symlinkSync } = await import('node:fs');
    const { tempDir } = await import('../helpers/temp-dir.js');
    const dir = await tempDir({ 'values.yaml': 'a: 1\n', 'shared/config.yaml': 'a: 0\n' });
    symlinkSync('shared/config.yaml', `${dir}/config.yaml`);
    const playbook =
      'name: link\nsteps:\n  - name: edit\n    manifest.edit: {path: "{{ dir }}/values.yaml", dest: "{{ dir }}/config.yaml", ops: [{set: b, value: 2}]}\n';
    const preview = await runEngine(playbook, { dir, mode: 'dry-run' });
    const planned = preview.events.find((event) => event.type === 'step:plan') as {
      diffs: { before?: string; after?: string }[];
    };
    expect(planned.diffs[0]).toMatchObject({ before: 'a: 0\n', after: 'a: 1\nb: 2\n' });
    await runEngine(playbook, { dir });
    expect(lstatSync(`${dir}/config.yaml`).isSymbolicLink()).toBe(true);
    expect(read(`${dir}/shared/config.yaml`, 'utf8')).toBe('a: 1\nb: 2\n');
  });
});
