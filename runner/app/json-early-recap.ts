import type { ExitCodeValue } from '../exit-codes.js';
import { ExitCode } from '../exit-codes.js';
import type { AppIO } from './app-io.js';

/** A stream whose writes are also told to `seen`; everything else is the stream's own. */
function tapped(stream: NodeJS.WriteStream, seen: (text: string) => void): NodeJS.WriteStream {
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write')
        return (chunk: unknown, ...rest: unknown[]) => {
          seen(String(chunk));
          return (target.write as (...args: unknown[]) => boolean)(chunk, ...rest);
        };
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * With --json, stdout always ends with a recap object, for a program reading it: a run that stops
 * before its steps (invalid input, a refusal, a held lock, a state folder it cannot write) writes
 * one itself, with the exit code and what it said on stderr, which is already masked.
 */
export async function withJsonRecap(io: AppIO, run: (io: AppIO) => Promise<ExitCodeValue>): Promise<ExitCodeValue> {
  const started = Date.now();
  let recapped = false;
  const said: string[] = [];
  const code = await run({
    ...io,
    stdout: tapped(io.stdout, (text) => {
      if (text.startsWith('{"type":"recap"')) recapped = true;
    }),
    stderr: tapped(io.stderr, (text) => said.push(text)),
  });
  if (!recapped)
    io.stdout.write(
      `${JSON.stringify({
        type: 'recap',
        ok: 0,
        changed: 0,
        skipped: 0,
        failed: 0,
        unknown: 0,
        interrupted: code === ExitCode.interrupted,
        refused: code === ExitCode.refused,
        exitCode: code,
        message: said.join('').trim(),
        durationMs: Date.now() - started,
        steps: [],
      })}\n`,
    );
  return code;
}
