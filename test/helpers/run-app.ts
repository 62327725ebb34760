import { main } from '../../runner/cli/main.js';
import { captureStream } from './capture-stream.js';
import { recordingRunner, type RecordingRunner } from './recording-runner.js';

export interface AppRun {
  code: number;
  stdout: string;
  stderr: string;
  runner: RecordingRunner;
}

/** Runs the CLI in-process with captured output and a runner that records every spawn. */
export async function runApp(argv: string[], runner: RecordingRunner = recordingRunner()): Promise<AppRun> {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await main(argv, { stdout: stdout.stream, stderr: stderr.stream, env: { NO_COLOR: '1' }, runner, sleep: async () => {} });
  return { code, stdout: stdout.text(), stderr: stderr.text(), runner };
}

export function jsonEvents(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
