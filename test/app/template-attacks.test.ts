import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonEvents, runApp, type AppRun } from '../helpers/run-app.js';
import { escapeExpressions, templateEscapes, withMarker } from '../helpers/template-escapes.js';
import { tempDir } from '../helpers/temp-dir.js';

const yaml = (text: string) => JSON.stringify(text);

function playbook(target: { arg?: string; when?: string; until?: string }): string {
  return [
    'name: attack',
    'vars:',
    '  x: {a: text}',
    'steps:',
    '  - name: earlier',
    '    command: {argv: ["true"]}',
    '    register: r',
    '  - name: target',
    `    command: {argv: [echo, ${yaml(target.arg ?? 'plain')}]}`,
    ...(target.when ? [`    when: ${yaml(target.when)}`] : []),
    ...(target.until ? [`    until: ${yaml(target.until)}`] : []),
    '',
  ].join('\n');
}

/** A refused attack: input error, said without a stack trace, nothing spawned and no marker made. */
function expectRefused(run: AppRun, marker: string): void {
  expect(run.code, run.stderr).toBe(3);
  expect(run.stderr).toMatch(/^error: /);
  expect(run.stderr).toContain('nothing was run');
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.runner.calls).toEqual([]);
  expect(existsSync(marker)).toBe(false);
}

async function attackSite() {
  const dir = await tempDir({ 'inv/site.yml': 'site_note: plain\n' });
  return { dir, marker: join(dir, 'pwned') };
}

describe('sandbox escapes are refused up front wherever they are written', () => {
  it.each(templateEscapes.map((text) => [text]))('in a step argument (dry run, check): %s', async (text) => {
    const { dir, marker } = await attackSite();
    await writeFile(join(dir, 'p.yml'), playbook({ arg: withMarker(text, marker) }));
    for (const mode of ['--dry-run', '--check'])
      expectRefused(await runApp([join(dir, 'p.yml'), '-i', join(dir, 'inv'), mode]), marker);
  });

  it.each(escapeExpressions().map((text) => [text]))('in when and in until: %s', async (text) => {
    const { dir, marker } = await attackSite();
    await writeFile(join(dir, 'when.yml'), playbook({ when: withMarker(text, marker) }));
    await writeFile(join(dir, 'until.yml'), playbook({ until: withMarker(text, marker) }));
    expectRefused(await runApp([join(dir, 'when.yml'), '-i', join(dir, 'inv'), '--dry-run']), marker);
    expectRefused(await runApp([join(dir, 'until.yml'), '-i', join(dir, 'inv'), '--dry-run']), marker);
  });

  it.each(templateEscapes.map((text) => [text]))(
    'in an inventory value, -e and -e @file (dry run, --list-steps): %s',
    async (text) => {
      const { dir, marker } = await attackSite();
      const payload = withMarker(text, marker);
      await writeFile(join(dir, 'p.yml'), playbook({}));
      await mkdir(join(dir, 'hostile'));
      await writeFile(join(dir, 'hostile/site.yml'), `y: ${yaml(payload)}\nx: {a: text}\n`);
      await writeFile(join(dir, 'extra.yml'), `y: ${yaml(payload)}\n`);
      for (const mode of ['--dry-run', '--list-steps']) {
        expectRefused(await runApp([join(dir, 'p.yml'), '-i', join(dir, 'hostile'), mode]), marker);
        expectRefused(await runApp([join(dir, 'p.yml'), '-i', join(dir, 'inv'), '-e', `y=${payload}`, mode]), marker);
        expectRefused(
          await runApp([join(dir, 'p.yml'), '-i', join(dir, 'inv'), '-e', `@${join(dir, 'extra.yml')}`, mode]),
          marker,
        );
      }
    },
  );
});

describe('data is never a template', () => {
  const argvOf = (run: AppRun, name: string) =>
    (
      jsonEvents(run.stdout).find((event) => event['type'] === 'step:plan' && event['name'] === name)?.['actions'] as
        { argv: string[] }[] | undefined
    )?.[0]?.argv;

  it('keeps a folder name with {{ }} in it as written, in playbook_dir, inventory_dir and an -e file name', async () => {
    const root = await tempDir();
    const folder = join(root, 'p{{ 6*7 }}', `{{ range.constructor("return 1")() }}`);
    await mkdir(join(folder, 'inv {{ 1 }}'), { recursive: true });
    await writeFile(join(folder, 'inv {{ 1 }}/site.yml'), 'site_note: plain\n');
    await writeFile(join(folder, 'e{{ 2 }}.yml'), 'from_file: "{{ playbook_dir }}"\n');
    await writeFile(
      join(folder, 'p.yml'),
      'name: folders\nsteps:\n  - name: show\n    command: {argv: [echo, "{{ playbook_dir }}", "{{ inventory_dir }}", "{{ from_file }}"]}\n',
    );
    const run = await runApp([
      join(folder, 'p.yml'),
      '-i',
      join(folder, 'inv {{ 1 }}'),
      '-e',
      `@${join(folder, 'e{{ 2 }}.yml')}`,
      '--dry-run',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(argvOf(run, 'show')).toEqual(['echo', folder, join(folder, 'inv {{ 1 }}'), folder]);
  });

  it('renders a value once: what {% raw %} makes is text, never rendered again', async () => {
    const { dir, marker } = await attackSite();
    const hidden = withMarker(templateEscapes[0]!, marker);
    await writeFile(join(dir, 'inv/site.yml'), `terraform_dir: ${yaml(`{% raw %}${hidden}{% endraw %}`)}\n`);
    await writeFile(
      join(dir, 'p.yml'),
      'name: once\nsteps:\n  - name: show\n    command: {argv: [echo, "{{ terraform_dir }}"]}\n',
    );
    for (const mode of ['--dry-run', '--check']) {
      const run = await runApp([join(dir, 'p.yml'), '-i', join(dir, 'inv'), mode, '--json']);
      expect(run.code, run.stderr).toBe(mode === '--check' ? 2 : 0);
      expect(argvOf(run, 'show')).toEqual(['echo', hidden]);
    }
    expect(existsSync(marker)).toBe(false);
  });
});
