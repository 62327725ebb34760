import { fileURLToPath } from 'node:url';
import { main } from '../../runner/cli/main.js';
import { captureStream } from './capture-stream.js';
import { recordingRunner, type RecordingRunner } from './recording-runner.js';

export interface AppRun {
  code: number;
  stdout: string;
  stderr: string;
  runner: RecordingRunner;
}

const localSite = fileURLToPath(new URL('../fixtures/inventory/local.yml', import.meta.url));

/**
 * Runs the CLI in-process with captured output and a runner that records every spawn; without
 * `-i` it names a local site, so tests never start the default simulated site in the repository.
 * Retries do not wait, unless `realTime` (a site on the real control plane).
 */
export async function runApp(
  argv: string[],
  runner: RecordingRunner = recordingRunner(),
  options: { defaultInventory?: boolean; realTime?: boolean } = {},
): Promise<AppRun> {
  const stdout = captureStream();
  const stderr = captureStream();
  const named = argv.includes('-i') || argv.includes('--inventory') || argv.length === 0 || options.defaultInventory;
  const code = await main(named ? argv : [...argv, '-i', localSite], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { NO_COLOR: '1' },
    runner,
    // A real control plane's controllers take their time; a retry there waits as it would at a site.
    sleep: options.realTime ? (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)) : async () => {},
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), runner };
}

export function jsonEvents(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
