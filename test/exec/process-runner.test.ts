import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processRunner } from '../../runner/exec/process-runner.js';

describe('processRunner', () => {
  it('returns exit code, stdout and stderr without throwing', async () => {
    expect(await processRunner.run({ argv: ['sh', '-c', 'echo out; echo err >&2; exit 4'] })).toEqual({
      exitCode: 4,
      stdout: 'out',
      stderr: 'err',
    });
  });

  it('feeds stdin and never interprets argv through a shell', async () => {
    expect((await processRunner.run({ argv: ['cat'], input: 'from stdin' })).stdout).toBe('from stdin');
    expect((await processRunner.run({ argv: ['echo', '$(id) ; ls'] })).stdout).toBe('$(id) ; ls');
  });

  it("gives a command without input an empty stdin, never the runner's own", async () => {
    expect(await processRunner.run({ argv: ['sh', '-c', 'wc -c; test -t 0 || echo not-a-terminal'] })).toMatchObject({
      exitCode: 0,
      stdout: '0\nnot-a-terminal',
    });
  });

  it('tells each whole line of stdout and stderr as the tool prints them, a chunk at a time, and leaves the output as it was', async () => {
    const told: string[][] = [];
    const result = await processRunner.run({
      argv: [
        'sh',
        '-c',
        'for i in $(seq 1 20000); do echo "line $i é"; done; echo warn >&2; printf "last, no newline"',
      ],
      onLines: (lines) => told.push(lines),
    });
    const lines = told.flat();
    expect(lines.filter((line) => line.startsWith('line '))).toEqual(
      Array.from({ length: 20000 }, (_, index) => `line ${index + 1} é`),
    );
    expect(lines).toContain('warn');
    expect(lines).toContain('last, no newline');
    // Far fewer calls than lines: a 10,000-user restore prints tens of thousands.
    expect(told.length).toBeLessThan(lines.length / 10);
    expect(result.stdout.split('\n')).toHaveLength(20001);
    expect(result.stdout.endsWith('last, no newline')).toBe(true);
    expect(result.stderr).toBe('warn');
  });

  it('reports a missing program as exit 127', async () => {
    expect(await processRunner.run({ argv: ['no-such-program-xyz'] })).toMatchObject({
      exitCode: 127,
      stderr: 'command not found: no-such-program-xyz',
    });
  });

  it('stops the child when the signal aborts, and says the run was aborted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-abort-'));
    const controller = new AbortController();
    const started = Date.now();
    const running = processRunner.run(
      { argv: ['sh', '-c', 'echo $$ > "$0.new" && mv "$0.new" "$0"; exec sleep 20', join(dir, 'pid')] },
      controller.signal,
    );
    // Abort once the child has started (it wrote its pid), not after a guess at how long that takes.
    await vi.waitFor(() => expect(existsSync(join(dir, 'pid'))).toBe(true), { timeout: 10_000, interval: 5 });
    controller.abort();
    await expect(running).rejects.toThrow(/abort/i);
    // Well short of the child's 20 s: it was stopped, not waited for.
    expect(Date.now() - started).toBeLessThan(15_000);
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('names a missing working directory rather than calling the program missing', async () => {
    const result = await processRunner.run({ argv: ['true'], cwd: '/no/such/dir' });
    expect(result).toMatchObject({
      exitCode: 127,
      stderr: 'working directory /no/such/dir does not exist (or is not a directory)',
    });
  });
});
