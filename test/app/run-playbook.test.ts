import { describe, expect, it } from 'vitest';
import { jsonEvents, runApp } from '../helpers/run-app.js';
import { recordingRunner } from '../helpers/recording-runner.js';
import { tempDir } from '../helpers/temp-dir.js';

const playbook = `
name: Demo
vars:
  greeting: from-playbook
steps:
  - name: marker
    tags: [setup]
    command:
      argv: [touch, "{{ playbook_dir }}/marker"]
      creates: "{{ playbook_dir }}/marker"
  - name: values
    tags: [config]
    manifest.edit:
      path: "{{ playbook_dir }}/values.yaml"
      ops:
        - set: greeting
          value: "{{ greeting }}"
  - name: always shown
    tags: [always]
    command:
      argv: ["true"]
      creates: /
`;

async function site(extra: Record<string, string> = {}) {
  const dir = await tempDir({
    'playbook.yml': playbook,
    'inv/site.yml': 'greeting: from-inventory\n',
    'values.yaml': 'greeting: old\n',
    ...extra,
  });
  return { dir, args: [`${dir}/playbook.yml`, '-i', `${dir}/inv`] };
}

describe('exit codes', () => {
  it('0 after a successful run, then 0 changed on the second run', async () => {
    const { args } = await site();
    const first = await runApp([...args, '--json']);
    expect(first.code).toBe(0);
    expect(jsonEvents(first.stdout).at(-1)).toMatchObject({ type: 'recap', changed: 2, ok: 1, failed: 0 });
    const second = await runApp([...args, '--json']);
    expect(second.code).toBe(0);
    expect(jsonEvents(second.stdout).at(-1)).toMatchObject({ type: 'recap', changed: 0, ok: 3 });
    expect(second.runner.calls).toEqual([]);
  });

  it('2 when --check finds changes, 0 when the site has converged', async () => {
    const { args } = await site();
    expect((await runApp([...args, '--check'])).code).toBe(2);
    await runApp(args);
    expect((await runApp([...args, '--check'])).code).toBe(0);
  });

  it('1 when a step fails', async () => {
    const dir = await tempDir({ 'p.yml': 'name: f\nsteps:\n  - name: fail\n    command: {argv: ["false"]}\n' });
    expect((await runApp([`${dir}/p.yml`])).code).toBe(1);
  });

  it('3 with a located message and no process spawned for an invalid playbook', async () => {
    const dir = await tempDir({ 'p.yml': 'name: f\nsteps:\n  - name: a\n    command: {argv: [echo], crates: x}\n' });
    const run = await runApp([`${dir}/p.yml`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `error: ${dir}/p.yml:4:29: unknown key 'crates' in steps[0].command; expected one of: argv, creates, chdir, env, stdin (did you mean 'creates'?)\nnothing was run\n`,
    );
    expect(run.stdout).toBe('');
    expect(run.runner.calls).toEqual([]);
  });

  it('3 for an undefined variable anywhere in the playbook, before the first step runs', async () => {
    const dir = await tempDir({
      'p.yml':
        'name: f\nvars: {namespace: jhub}\nsteps:\n  - name: ok\n    command: {argv: [echo]}\n  - name: typo\n    command: {argv: [echo, "{{ namepsace }}"]}\n',
    });
    const run = await runApp([`${dir}/p.yml`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`${dir}/p.yml:7:28: undefined variable 'namepsace' (did you mean 'namespace'?)`);
    expect(run.runner.calls).toEqual([]);
  });

  it('3 for a bad inventory, a bad -e and a missing playbook', async () => {
    const { dir, args } = await site({ 'inv/other.yml': 'greeting: twice\n' });
    const duplicate = await runApp(args);
    expect(duplicate.code).toBe(3);
    expect(duplicate.stderr).toContain(`${dir}/inv/site.yml:1:1`);
    expect((await runApp([`${dir}/playbook.yml`, '-e', 'novalue'])).code).toBe(3);
    expect((await runApp([`${dir}/missing.yml`])).code).toBe(3);
  });

  it('3 for --start-at naming no step, with a did-you-mean', async () => {
    const { args } = await site();
    const run = await runApp([...args, '--start-at', 'valuse']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--start-at: no step is named "valuse" (did you mean "values"?)');
  });
});

describe('variables end to end', () => {
  it('inventory beats playbook vars, and -e beats the inventory', async () => {
    const { dir, args } = await site();
    await runApp([...args, '--tags', 'config']);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(`${dir}/values.yaml`, 'utf8')).toBe('greeting: from-inventory\n');
    await runApp([...args, '--tags', 'config', '-e', 'greeting=from-cli']);
    expect(await readFile(`${dir}/values.yaml`, 'utf8')).toBe('greeting: from-cli\n');
  });
});

describe('selection', () => {
  it('--tags runs tagged steps and those tagged always; --skip-tags removes them', async () => {
    const { args } = await site();
    const tagged = jsonEvents((await runApp([...args, '--json', '--tags', 'config'])).stdout);
    expect(tagged.filter((event) => event['type'] === 'step:end').map((event) => event['name'])).toEqual([
      'values',
      'always shown',
    ]);
    const skipped = jsonEvents((await runApp([...args, '--json', '--skip-tags', 'config,always'])).stdout);
    expect(skipped.filter((event) => event['type'] === 'step:end').map((event) => event['name'])).toEqual(['marker']);
  });

  it('--start-at begins at the named step', async () => {
    const { args } = await site();
    const events = jsonEvents((await runApp([...args, '--json', '--start-at', 'values'])).stdout);
    expect(events.filter((event) => event['type'] === 'step:end').map((event) => event['name'])).toEqual([
      'values',
      'always shown',
    ]);
  });

  it('--list-steps lists, marks the selection and runs nothing', async () => {
    const { dir, args } = await site();
    const run = await runApp([...args, '--list-steps', '--tags', 'setup']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `Demo (${dir}/playbook.yml): 2 of 3 step(s) selected`,
        `*   1. marker  [command]  tags: setup  ${dir}/playbook.yml:6:5`,
        `    2. values  [manifest.edit]  tags: config  ${dir}/playbook.yml:11:5`,
        `*   3. always shown  [command]  tags: always  ${dir}/playbook.yml:18:5`,
        '',
      ].join('\n'),
    );
    expect(run.runner.calls).toEqual([]);
  });
});

describe('output', () => {
  it('JSON lines: run:start first, recap last, every line parses', async () => {
    const { args } = await site();
    const events = jsonEvents((await runApp([...args, '--json', '--dry-run'])).stdout);
    expect(events[0]).toMatchObject({ type: 'run:start', site: 'inv', mode: 'dry-run', simulated: false });
    expect(Object.keys(events.at(-1)!).slice(0, 6)).toEqual(['type', 'ok', 'changed', 'skipped', 'failed', 'unknown']);
    const plan = events.find((event) => event['type'] === 'step:plan' && event['name'] === 'values');
    expect((plan!['diffs'] as { patch: string }[])[0]!.patch).toContain('-greeting: old\n+greeting: from-inventory');
  });

  it('plain output names the site on its first line and ends with the recap', async () => {
    const { args } = await site();
    const run = await runApp([...args, '--dry-run']);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Site inv (real site) · playbook Demo (${args[0]}) · mode: dry run (nothing is run)`);
    expect(run.stdout).toContain(`would run: touch ${args[0]!.replace('/playbook.yml', '')}/marker`);
    expect(run.stdout).toMatch(
      /Recap \(dry-run: nothing was changed\): ok=1 {2}would-change=2 {2}skipped=0 {2}failed=0 {2}unknown=0/,
    );
    // A preview's recap never says a step changed something.
    expect(run.stdout).toMatch(/\n {2}\S.* {2}would-change \d/);
    expect(run.stdout.slice(run.stdout.indexOf('Recap'))).not.toMatch(/ changed /);
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('says when a site is simulated', async () => {
    const { args } = await site({ 'inv/zz-sim.yml': 'site_simulated: true\n' });
    const run = await runApp([...args, '--dry-run']);
    expect(run.stdout.split('\n')[0]).toContain('(simulated site)');
  });

  it("never shows an inventory secret, even in a dry run's argv", async () => {
    const dir = await tempDir({
      'p.yml': 'name: s\nsteps:\n  - name: login\n    command: {argv: [tool, --token, "{{ token }}"]}\n',
      'inv.yml': 'token: {secret: canary-7f3a9}\n',
    });
    const run = await runApp([`${dir}/p.yml`, '-i', `${dir}/inv.yml`, '--dry-run']);
    expect(run.stdout).toContain("would run: tool --token '********'");
    expect(run.stdout + run.stderr).not.toContain('canary-7f3a9');
  });
});

describe('dry run needs no tools', () => {
  it('spawns nothing even when the tools do not exist', async () => {
    const dir = await tempDir({
      'p.yml': 'name: t\nsteps:\n  - name: helm\n    command: {argv: [helm-that-does-not-exist, version]}\n',
    });
    const runner = recordingRunner(() => {
      throw new Error('spawned');
    });
    const run = await runApp([`${dir}/p.yml`, '--dry-run'], runner);
    expect(run.code).toBe(0);
    expect(runner.calls).toEqual([]);
  });
});
