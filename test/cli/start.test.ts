import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

describe('bin/run.js', () => {
  it('documents every option, the exit codes and precedence in --help', async () => {
    const { stdout, exitCode } = await execa('node', [bin, '--help']);
    expect(exitCode).toBe(0);
    for (const text of [
      '--inventory',
      '--extra-vars',
      '--check',
      '--dry-run',
      '--tags',
      '--skip-tags',
      '--start-at',
      '--list-steps',
      '--json',
      '--no-color',
      'schema',
      '130',
      'plugin defaults < playbook vars < inventory',
    ]) {
      expect(stdout).toContain(text);
    }
  });

  it('exits 3 on bad input with no stack trace', async () => {
    const dir = await tempDir({ 'p.yml': 'name: x\nsteps:\n  - name: a\n    comand: {argv: [ls]}\n' });
    const result = await execa('node', [bin, `${dir}/p.yml`], { reject: false, env: { NO_COLOR: '1' } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`${dir}/p.yml:4:5: unknown key 'comand'`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports exactly what the in-process run reports, though it uses the precompiled validators', async () => {
    const dir = await tempDir({
      'p.yml':
        'name: x\nsteps:\n  - name: a\n    command: {argv: [ls], crates: x}\n  - name: b\n    retries: no\n    manifest.edit: {path: f, ops: [{drop: {path: a, eqals: 1}}, {set: [1, true]}]}\n',
    });
    const { existsSync } = await import('node:fs');
    // The bundle reads the playbook's validator from a file beside it, kept out of the bundle most runs need.
    expect(existsSync(fileURLToPath(new URL('../../dist/bundle/generated/playbook.cjs', import.meta.url)))).toBe(true);
    const viaBin = await execa('node', [bin, `${dir}/p.yml`], { reject: false, env: { NO_COLOR: '1' } });
    const { runApp } = await import('../helpers/run-app.js');
    const inProcess = await runApp([`${dir}/p.yml`]);
    expect(viaBin.exitCode).toBe(3);
    expect(viaBin.stderr).toBe(inProcess.stderr.trimEnd());
    expect(viaBin.stderr.split('\n').length).toBeGreaterThanOrEqual(4);
  });

  it('prints a JSON Schema that ajv accepts', async () => {
    const { stdout } = await execa('node', [bin, 'schema']);
    const schema = JSON.parse(stdout) as { $schema: string; properties: { steps: unknown } };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.properties.steps).toBeDefined();
  });

  it('runs from a bundle with no import() left, since the code cache runs it as a classic script with no module loader', async () => {
    const { readFileSync } = await import('node:fs');
    const bundle = readFileSync(fileURLToPath(new URL('../../dist/bundle/start.cjs', import.meta.url)), 'latin1');
    expect(bundle.match(/\bimport\(/g) ?? []).toEqual([]);
  });

  it('reads a playbook it kept from an earlier run as written now, and names the line of a problem in it', async () => {
    const site = 'site_name: kept\nstate_dir: .state\n';
    const playbook = (word: string) =>
      `name: x\nvars:\n  word: ${word}\nsteps:\n  - name: say\n    command: {argv: [echo, "{{ word }}"]}\n`;
    const dir = await tempDir({ 'p.yml': playbook('first'), 'site.yml': site });
    const preview = () =>
      execa('node', [bin, 'p.yml', '-i', 'site.yml', '--dry-run'], { reject: false, cwd: dir, env: { NO_COLOR: '1' } });
    for (let run = 0; run < 2; run += 1) expect((await preview()).stdout).toContain('would run: echo first');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/p.yml`, playbook('second'));
    expect((await preview()).stdout).toContain('would run: echo second');
    // The same text again, now with a step that reads a variable nothing defines: found on the kept text's line.
    writeFileSync(
      `${dir}/p.yml`,
      `${playbook('second')}  - name: other\n    command: {argv: [echo, "{{ nowhere }}"]}\n`,
    );
    for (let run = 0; run < 2; run += 1) {
      const result = await preview();
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(/p\.yml:8:\d+: .*nowhere/);
    }
  });

  it('stops a running child and exits 130 on SIGINT', async () => {
    const dir = await tempDir({
      'p.yml':
        'name: x\nsteps:\n  - name: long\n    command: {argv: [sh, -c, "touch started && exec sleep 30"]}\n  - name: after\n    command: {argv: [touch, after]}\n',
    });
    const { existsSync } = await import('node:fs');
    const child = execa('node', [bin, `${dir}/p.yml`], { reject: false, cwd: dir, env: { NO_COLOR: '1', CI: '1' } });
    // Once the tool runs (it says so with a file), not after a guess at how long it takes to start.
    while (!existsSync(`${dir}/started`)) {
      expect(child.exitCode, 'the run ended before its tool started').toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const started = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.stdout).toContain('interrupted');
    expect(existsSync(`${dir}/after`)).toBe(false);
  });
});
