import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepParsedYaml } from '../../runner/input/parsed-yaml-cache.js';
import { InputError } from '../../runner/input/input-error.js';
import { loadPlaybook } from '../../runner/load/playbook.js';
import { builtinPlugins } from '../../runner/plugins/registry.js';
import { tempDir } from '../helpers/temp-dir.js';

const pluginNames = builtinPlugins.map((plugin) => plugin.name).join(', ');

async function problemsOf(yaml: string): Promise<string[]> {
  const dir = await tempDir({ 'p.yml': yaml });
  try {
    await loadPlaybook(`${dir}/p.yml`, builtinPlugins);
  } catch (error) {
    if (error instanceof InputError) return error.message.replaceAll(`${dir}/`, '').split('\n');
    throw error;
  }
  return [];
}

describe('loadPlaybook', () => {
  it('loads steps with their plugin, arguments and position', async () => {
    const dir = await tempDir({
      'p.yml': 'name: demo\nsteps:\n  - name: hi\n    tags: [a]\n    command:\n      argv: [echo, hi]\n',
    });
    const playbook = await loadPlaybook(`${dir}/p.yml`, builtinPlugins);
    expect(playbook.steps).toHaveLength(1);
    expect(playbook.steps[0]).toMatchObject({
      name: 'hi',
      plugin: 'command',
      tags: ['a'],
      args: { argv: ['echo', 'hi'] },
    });
    expect(playbook.steps[0]!.location).toMatchObject({ line: 3, col: 5 });
  });

  it('names a misspelt plugin key at its position with a did-you-mean', async () => {
    expect(await problemsOf('name: x\nsteps:\n  - name: a\n    comand:\n      argv: [ls]\n')).toEqual([
      `p.yml:4:5: unknown key 'comand' in steps[0]; expected one of: name, when, register, tags, retries, delay, until, changed_when, failed_when, ${pluginNames} (did you mean 'command'?)`,
    ]);
  });

  it('names a misspelt argument key inside a plugin', async () => {
    const [problem] = await problemsOf(
      'name: x\nsteps:\n  - name: a\n    command:\n      argv: [ls]\n      create: /tmp/x\n',
    );
    expect(problem).toBe(
      "p.yml:6:7: unknown key 'create' in steps[0].command; expected one of: argv, creates, chdir, env, stdin (did you mean 'creates'?)",
    );
  });

  it('says what type was expected and what was found', async () => {
    expect(
      await problemsOf(
        'name: x\nsteps:\n  - name: a\n    retries: many\n    until: "true"\n    command:\n      argv: echo\n',
      ),
    ).toEqual([
      'p.yml:4:14: steps[0].retries: expected an integer, found the string "many"',
      'p.yml:7:13: steps[0].command.argv: expected a list or a {{ template }}, found the string "echo"',
    ]);
  });

  it('accepts a template where a list is expected', async () => {
    expect(await problemsOf('name: x\nsteps:\n  - name: a\n    command:\n      argv: "{{ my_argv }}"\n')).toEqual([]);
  });

  it('refuses a step with two plugin keys, pointing at the second', async () => {
    expect(
      await problemsOf(
        'name: x\nsteps:\n  - name: a\n    command: {argv: [ls]}\n    manifest.edit: {path: f, ops: [{delete: a}]}\n',
      ),
    ).toEqual([
      'p.yml:5:5: step has more than one plugin key (command, manifest.edit); a step runs exactly one plugin',
    ]);
  });

  it('refuses a step with no plugin key', async () => {
    expect(await problemsOf('name: x\nsteps:\n  - name: a\n')).toEqual([
      `p.yml:3:5: step has no plugin key; expected one of: ${pluginNames}`,
    ]);
  });

  it('requires a name and at least one step', async () => {
    expect(await problemsOf('steps: []\n')).toEqual([
      "p.yml:1:1: (top level) is missing the required key 'name'",
      'p.yml:1:8: steps: expected at least 1 item(s)',
    ]);
  });

  it('reports only the chosen branch of a keyed union such as manifest.edit ops', async () => {
    expect(
      await problemsOf(
        'name: x\nsteps:\n  - name: b\n    manifest.edit: {path: f, ops: [{drop: {path: a, eqals: 1}}, {set: [1, true]}]}\n',
      ),
    ).toEqual([
      "p.yml:4:53: unknown key 'eqals' in steps[0].manifest.edit.ops[0].drop; expected one of: path, equals, not_equals, in, not_in, matches, exists (did you mean 'equals'?)",
      "p.yml:4:65: steps[0].manifest.edit.ops[1] is missing the required key 'value'",
      'p.yml:4:75: steps[0].manifest.edit.ops[1].set[1]: expected a string or an integer or a {{ template }}, found boolean true',
    ]);
  });

  it('says which keys a keyed union accepts when none was given', async () => {
    expect(
      await problemsOf('name: x\nsteps:\n  - name: b\n    manifest.edit: {path: f, ops: [{sett: a}, 5]}\n'),
    ).toEqual([
      "p.yml:4:36: steps[0].manifest.edit.ops[0]: expected a map with one of the keys set, delete, keep, drop, found a map (did you mean 'set'?)",
      'p.yml:4:47: steps[0].manifest.edit.ops[1]: expected a map with one of the keys set, delete, keep, drop, found number 5',
    ]);
  });

  it('refuses an empty file and a file that is not a map', async () => {
    expect(await problemsOf('')).toEqual(['p.yml:1:1: the playbook is empty']);
    expect(await problemsOf('- a\n- b\n')).toEqual(['p.yml:1:1: (top level): expected a map, found a list']);
  });

  it('refuses an invalid variable name in vars', async () => {
    expect(await problemsOf('name: x\nvars:\n  bad-name: 1\nsteps:\n  - name: a\n    command: {argv: [ls]}\n')).toEqual(
      ["p.yml:3:3: 'bad-name' is not a valid name in vars: use letters, digits and _"],
    );
  });

  it('reports a missing file without a stack trace', async () => {
    await expect(loadPlaybook('/nonexistent/p.yml', builtinPlugins)).rejects.toThrow(
      'cannot read playbook /nonexistent/p.yml: no such file or directory',
    );
  });
});

describe('loadPlaybook with import_playbook', () => {
  it('names an imported playbook the way the importing one was named: relative below the working directory', async () => {
    const dir = await tempDir({
      'main.yml': 'name: main\nsteps:\n  - name: in\n    import_playbook: inner/steps.yml\n',
      'inner/steps.yml': 'name: inner\nsteps:\n  - name: hi\n    command: {argv: [echo, hi]}\n',
    });
    const previous = process.cwd();
    process.chdir(dir);
    try {
      const relativeRun = await loadPlaybook('main.yml', builtinPlugins);
      expect(relativeRun.steps[0]!.location).toEqual({ file: 'inner/steps.yml', line: 3, col: 5 });
    } finally {
      process.chdir(previous);
    }
    const elsewhere = await loadPlaybook(`${dir}/main.yml`, builtinPlugins);
    expect(elsewhere.steps[0]!.location.file).toBe(`${dir}/inner/steps.yml`);
  });
});

describe('loadPlaybook with parsed playbooks kept between runs', () => {
  afterEach(() => keepParsedYaml(undefined));

  it('does not check a text against the schema again once it passed, and keeps a text that failed unmarked', async () => {
    const cacheDir = await tempDir();
    keepParsedYaml({ cacheDir, buildId: 'b'.repeat(64) });
    const good = 'name: demo\nsteps:\n  - name: hi\n    command: {argv: [echo, hi]}\n';
    const dir = await tempDir({ 'p.yml': good, 'bad.yml': 'name: demo\nsteps:\n  - name: hi\n    comand: {}\n' });
    await loadPlaybook(`${dir}/p.yml`, builtinPlugins);
    const [entry] = readdirSync(join(cacheDir, `yaml-${'b'.repeat(16)}`));
    const entryPath = join(cacheDir, `yaml-${'b'.repeat(16)}`, entry!);
    const kept = JSON.parse(readFileSync(entryPath, 'utf8')) as { value: { steps: object[] }; passed: string[] };
    expect(kept.passed).toHaveLength(1);
    // What passed is trusted for that text: a kept value the schema would refuse shows the check is not run again.
    writeFileSync(entryPath, JSON.stringify({ ...kept, value: { ...kept.value, unknown_key: 1 } }));
    await expect(loadPlaybook(`${dir}/p.yml`, builtinPlugins)).resolves.toMatchObject({ name: 'demo' });
    writeFileSync(entryPath, JSON.stringify({ ...kept, value: { ...kept.value, unknown_key: 1 }, passed: [] }));
    await expect(loadPlaybook(`${dir}/p.yml`, builtinPlugins)).rejects.toThrow(/unknown key 'unknown_key'/);
    // Another plugin list is another check.
    writeFileSync(entryPath, JSON.stringify({ ...kept, value: { ...kept.value, unknown_key: 1 } }));
    await expect(loadPlaybook(`${dir}/p.yml`, builtinPlugins.slice(1))).rejects.toThrow(InputError);
    for (let run = 0; run < 2; run += 1)
      await expect(loadPlaybook(`${dir}/bad.yml`, builtinPlugins)).rejects.toThrow(/unknown key 'comand'/);
  });
});
