import { processRunner } from '../exec/process-runner.js';
import { ExitCode } from '../exit-codes.js';
import { main } from './main.js';

/** A question on the terminal; only offered when a person is there to answer it. */
async function ask(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

/** Wires the real process: signals stop child processes and end the run with exit code 130. */
export async function start(): Promise<void> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals > 1) process.exit(ExitCode.interrupted);
    process.stderr.write('\ninterrupted: stopping the current step (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  // A reader that goes away (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    process.exitCode = await main(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      runner: processRunner,
      signal: controller.signal,
      ...(process.stdin.isTTY && process.stderr.isTTY ? { ask } : {}),
    });
  } catch (error) {
    process.stderr.write(`internal error: ${(error as Error).message}\n`);
    if (process.env['RUNNER_DEBUG']) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = ExitCode.stepFailed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
