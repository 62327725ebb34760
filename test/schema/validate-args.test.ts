import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('rendered arguments holding a NUL byte', () => {
  it('are refused up front, located and masked, when they come from variables', async () => {
    const dir = await tempDir({
      'p.yml':
        'name: nul\nvars:\n  tok: {secret: "hunter2-secret-value"}\nsteps:\n  - name: s\n    command: {argv: [echo, "{{ tok }}\\0"]}\n',
    });
    const run = await runApp([`${dir}/p.yml`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `${dir}/p.yml:6:28: after templating, argv.1 holds a NUL byte, which no program or file name can take (tok is set in playbook ${dir}/p.yml)`,
    );
    expect(run.stderr).not.toContain('hunter2');
    expect(run.runner.calls).toEqual([]);
  });

  it('fail their step, spawning nothing, when they come from a result', async () => {
    const dir = await tempDir({
      'p.yml':
        'name: nul\nsteps:\n  - name: out\n    command: {argv: [printf, "a\\\\000b"]}\n    register: out\n  - name: use\n    command: {argv: [echo, "{{ out.stdout }}"]}\n',
    });
    const run = await runApp([`${dir}/p.yml`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('holds a NUL byte');
    expect(run.runner.calls.map((call) => call.argv[0])).toEqual(['printf']);
  });
});
