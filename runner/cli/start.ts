import { isatty } from 'node:tty';
import { keepParsedYaml } from '../input/parsed-yaml-cache.js';
import { processRunner } from '../exec/process-runner.js';
import { ExitCode } from '../exit-codes.js';
import { main } from './main.js';
import { watchInterrupts } from './interrupts.js';
import { invocation } from './invocation.js';

/** A question on the terminal; only offered when a person is there to answer it. An interrupt ends the wait for an answer. */
async function ask(question: string, signal: AbortSignal, interrupt: () => void): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  // readline reads the terminal's Ctrl-C as a key of its own, and Ctrl-D ends the input: both go to the run's interrupt handling.
  prompt.on('SIGINT', interrupt);
  try {
    return await prompt.question(question, { signal });
  } catch (error) {
    // Ctrl-D rejects the question: it interrupts the run as Ctrl-C does, so callers see an interrupted run.
    if (!signal.aborted) interrupt();
    throw error;
  } finally {
    prompt.close();
  }
}

/** Where the CLI may keep what it derives from its input, for the build it runs as (bin/run.js). */
export interface StartOptions {
  cacheDir: string;
  buildId: string;
}

/** Wires the real process: signals stop the running tool and end the run with exit code 130. */
export async function start(options?: StartOptions): Promise<void> {
  keepParsedYaml(options);
  const interrupts = watchInterrupts(2);
  // A reader that goes away (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  try {
    process.exitCode = await main(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      runner: processRunner,
      signal: interrupts.signal,
      atForcedExit: interrupts.atForcedExit,
      command: invocation(process.env, process.argv),
      // isatty rather than process.stdin.isTTY, which opens stdin's stream (~1 ms) when no question may be asked.
      ...(isatty(2) && isatty(0)
        ? { ask: (question: string) => ask(question, interrupts.signal, interrupts.interrupt) }
        : {}),
    });
  } catch (error) {
    process.stderr.write(`internal error: ${(error as Error).message}\n`);
    if (process.env['RUNNER_DEBUG']) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = ExitCode.stepFailed;
  } finally {
    interrupts.dispose();
  }
}
