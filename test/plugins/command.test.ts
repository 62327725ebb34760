import { describe, expect, it } from 'vitest';
import { commandPlugin } from '../../runner/plugins/command.js';
import type { ProbeIO } from '../../runner/plugins/contract.js';
import { fakeProbeIO } from '../helpers/fake-probe-io.js';

function probeIO(existing: string[]): ProbeIO {
  return fakeProbeIO({ files: Object.fromEntries(existing.map((path) => [path, ''])) });
}

describe('command plugin', () => {
  it('runs the argv as given, numbers as strings, with cwd, env and stdin', () => {
    const plan = commandPlugin.plan({ argv: ['sleep', 1], chdir: '/tmp', env: { A: 'b' }, stdin: 'in' }, { createsExists: false });
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
