import { describe, expect, it } from 'vitest';
import { commandPlugin } from '../../runner/plugins/command.js';
import type { ProbeIO } from '../../runner/plugin-contract/contract.js';
import { fakeProbeIO } from '../helpers/fake-probe-io.js';

function probeIO(existing: string[]): ProbeIO {
  return fakeProbeIO({ files: Object.fromEntries(existing.map((path) => [path, ''])) });
}

describe('command plugin', () => {
  it('runs the argv as given, numbers as strings, with cwd, env and stdin', () => {
    const plan = commandPlugin.plan(
      { argv: ['sleep', 1], chdir: '/tmp', env: { A: 'b' }, stdin: 'in' },
      { createsExists: false },
    );
    expect(plan.change).toBe('run');
    expect(plan.actions).toEqual([{ kind: 'exec', argv: ['sleep', '1'], cwd: '/tmp', env: { A: 'b' }, input: 'in' }]);
  });

  it('is ok with a reason when `creates` exists', async () => {
    const args = { argv: ['make-thing'], creates: '/tmp/thing' };
    const facts = await commandPlugin.probe!(args, probeIO(['/tmp/thing']));
    expect(commandPlugin.plan(args, facts)).toEqual({ change: 'none', reason: '/tmp/thing exists', actions: [] });
  });

  it('runs when `creates` is missing and says so', async () => {
    const args = { argv: ['make-thing'], creates: '/tmp/thing' };
    const plan = commandPlugin.plan(args, await commandPlugin.probe!(args, probeIO([])));
    expect(plan).toMatchObject({ change: 'run', reason: '/tmp/thing is missing' });
  });

  it('plans the command when facts could not be observed', () => {
    expect(commandPlugin.plan({ argv: ['x'], creates: '/p' }, undefined).actions).toHaveLength(1);
  });
});

describe('command plugin with a hostile value, end to end', () => {
  it('passes shell metacharacters to the program as one literal argv element, through -e and a template', async () => {
    const { runApp } = await import('../helpers/run-app.js');
    const { tempDir } = await import('../helpers/temp-dir.js');
    const { readFileSync } = await import('node:fs');
    const dir = await tempDir({
      'p.yml': `name: argv\nsteps:\n  - name: echo\n    command:\n      argv: ["${process.execPath}", "-e", "require('fs').writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))", "{{ dir }}/argv.json", "{{ value }}", "plain"]\n`,
    });
    const value = `"; rm -rf "$HOME" $(touch ${dir}/pwned) \`touch ${dir}/pwned\` | cat > ${dir}/pwned & echo '*' && exit 1 #`;
    const run = await runApp([`${dir}/p.yml`, '-e', `value=${value}`, '-e', `dir=${dir}`]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(`${dir}/argv.json`, 'utf8'))).toEqual([value, 'plain']);
    expect(run.runner.calls[0]!.argv[4]).toBe(value);
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${dir}/pwned`)).toBe(false);
  });
});
