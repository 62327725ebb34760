import { statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { childGroups, signalGroup } from './child-groups.js';
import type { ExecRequest, ExecResult, ProcessRunner } from './exec-result.js';

const commandNotFound = 127;

/** How long a tool has to stop after SIGTERM before its whole group is killed. */
export const stopGraceMs = 2000;

/**
 * Spawns argv arrays directly (never through a shell) and never throws on a non-zero exit; execa loads
 * on first use. Each tool runs in a process group of its own: the terminal's Ctrl-C reaches only the
 * runner, which stops the tool and everything it started (TERM, then KILL after a grace) when the run is interrupted.
 */
export const processRunner: ProcessRunner = {
  async run(request: ExecRequest, signal?: AbortSignal): Promise<ExecResult> {
    const [file, ...args] = request.argv;
    if (!file) return { exitCode: commandNotFound, stdout: '', stderr: 'empty argv' };
    signal?.throwIfAborted();
    const { execa } = await import('execa');
    const onLines = request.onLines;
    // Only for a tool whose progress someone watches, and a chunk at a time: a 10,000-user restore prints 30,000 lines.
    const watched = onLines ? { stdout: followLines(onLines), stderr: followLines(onLines) } : {};
    const child = execa(file, args, {
      ...watched,
      cwd: request.cwd,
      env: request.env,
      // No input: stdin is /dev/null, which reads as the same empty stream as a pipe without the pipe's cost (~0.5 ms a spawn).
      ...(request.input === undefined ? { stdin: 'ignore' as const } : { input: request.input }),
      reject: false,
      stripFinalNewline: true,
      detached: true,
      // The run stops tools itself, group by group; execa's exit hooks cost ~1.5 ms a spawn and would kill a terraform apply mid-write if the runner crashed.
      cleanup: false,
      maxBuffer: 256 * 1024 * 1024,
    });
    const pid = child.pid;
    let grace: NodeJS.Timeout | undefined;
    const stop = () => {
      if (pid === undefined) return;
      signalGroup(pid, 'SIGTERM');
      grace = setTimeout(() => signalGroup(pid, 'SIGKILL'), stopGraceMs);
    };
    if (pid !== undefined) childGroups.add({ pid, argv0: file });
    signal?.addEventListener('abort', stop, { once: true });
    let result;
    try {
      result = await child;
    } finally {
      signal?.removeEventListener('abort', stop);
      if (grace) clearTimeout(grace);
      if (pid !== undefined) {
        // An interrupted tool's group goes whole: a grandchild it left would outlive the run.
        if (signal?.aborted) signalGroup(pid, 'SIGKILL');
        childGroups.remove(pid);
      }
    }
    signal?.throwIfAborted();
    if (result.exitCode === undefined && result.signal === undefined) {
      const code = (result as { code?: string }).code;
      // Node reports a missing working directory as ENOENT too: name the one that is missing.
      const missingCwd = code === 'ENOENT' && request.cwd !== undefined && !isDirectory(request.cwd);
      const reason = missingCwd
        ? `working directory ${request.cwd} does not exist (or is not a directory)`
        : code === 'ENOENT'
          ? `command not found: ${file}`
          : (result.shortMessage ?? `cannot start ${file}`);
      return { exitCode: commandNotFound, stdout: String(result.stdout ?? ''), stderr: reason };
    }
    if (result.exitCode === undefined)
      return {
        exitCode: 128 + signalNumber(result.signal),
        stdout: String(result.stdout),
        stderr: `${String(result.stderr)}\n${file} was killed by ${result.signal}`.trim(),
      };
    return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
  },
};

/** An execa transform that passes a stream's bytes on unchanged and tells `onLines` each chunk's complete lines. */
function followLines(onLines: (lines: string[]) => void) {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const told = (text: string) => {
    const lines = `${rest}${text}`.split('\n');
    rest = lines.pop() ?? '';
    if (lines.length > 0) onLines(lines.map((line) => line.replace(/\r$/, '')));
  };
  return {
    binary: true,
    *transform(chunk: unknown) {
      told(decoder.write(chunk as Uint8Array));
      yield chunk;
    },
    *final() {
      told(decoder.end());
      if (rest !== '') onLines([rest]);
      rest = '';
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function signalNumber(signal: string | undefined): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal ?? ''] ?? 0;
}
