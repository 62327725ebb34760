import { describe, expect, it } from 'vitest';
import { processRunner } from '../../runner/exec/process-runner.js';

describe('processRunner', () => {
  it('returns exit code, stdout and stderr without throwing', async () => {
    expect(await processRunner.run({ argv: ['sh', '-c', 'echo out; echo err >&2; exit 4'] })).toEqual({ exitCode: 4, stdout: 'out', stderr: 'err' });
  });

  it('feeds stdin and never interprets argv through a shell', async () => {
    expect((await processRunner.run({ argv: ['cat'], input: 'from stdin' })).stdout).toBe('from stdin');
    expect((await processRunner.run({ argv: ['echo', '$(id) ; ls'] })).stdout).toBe('$(id) ; ls');
  });

  it('gives a command without input an empty stdin, never the runner\'s own', async () => {
    expect(await processRunner.run({ argv: ['sh', '-c', 'wc -c; test -t 0 || echo not-a-terminal'] })).toMatchObject({ exitCode: 0, stdout: '0\nnot-a-terminal' });
  });

  it('reports a missing program as exit 127', async () => {
    expect(await processRunner.run({ argv: ['no-such-program-xyz'] })).toMatchObject({ exitCode: 127, stderr: 'command not found: no-such-program-xyz' });
  });

  it('stops the child when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await processRunner.run({ argv: ['sleep', '20'] }, controller.signal);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
