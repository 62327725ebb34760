import type { RunEvent, RunMode } from '../../runner/events/run-event.js';
import { EventBus } from '../../runner/events/event-bus.js';
import { FileView } from '../../runner/engine/file-view.js';
import { ScratchDir } from '../../runner/engine/scratch-dir.js';
import { runSteps } from '../../runner/engine/run-steps.js';
import { loadPlaybook } from '../../runner/load/playbook.js';
import { builtinPlugins, pluginByName } from '../../runner/plugins/registry.js';
import { SecretMasker } from '../../runner/vars/secret-masker.js';
import { taintFrom } from '../../runner/template/secret-taint.js';
import type { RecordingRunner } from './recording-runner.js';
import { recordingRunner } from './recording-runner.js';
import { tempDir } from './temp-dir.js';

export interface HarnessRun {
  events: RunEvent[];
  recap: Extract<RunEvent, { type: 'recap' }>;
  runner: RecordingRunner;
  dir: string;
  ends: Extract<RunEvent, { type: 'step:end' }>[];
}

/** Loads a playbook written in a scratch directory and runs all its steps through the engine. */
export async function runEngine(
  playbookYaml: string,
  options: {
    mode?: RunMode;
    vars?: Record<string, unknown>;
    runner?: RecordingRunner;
    files?: Record<string, string>;
    dir?: string;
    secrets?: string[];
    signal?: AbortSignal;
    realSleep?: boolean;
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<HarnessRun> {
  const dir = options.dir ?? (await tempDir(options.files ?? {}));
  const file = `${dir}/playbook.yml`;
  const { writeFile } = await import('node:fs/promises');
  await writeFile(file, playbookYaml);
  const playbook = await loadPlaybook(file, builtinPlugins);
  const masker = new SecretMasker();
  for (const secret of options.secrets ?? []) masker.add(secret);
  taintFrom(masker);
  const bus = new EventBus(masker);
  const events: RunEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const runner = options.runner ?? recordingRunner();
  const scratch = new ScratchDir();
  const recap = await runSteps(playbook.steps, {
    mode: options.mode ?? 'apply',
    plugins: pluginByName(builtinPlugins),
    vars: { dir, ...playbook.vars, ...options.vars },
    runner,
    files: new FileView(),
    scratch,
    bus,
    masker,
    ...(options.signal ? { signal: options.signal } : {}),
    sleep:
      options.sleep ??
      (options.realSleep ? (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) : async () => {}),
  }).finally(() => scratch.dispose());
  const ends = events.filter((event): event is Extract<RunEvent, { type: 'step:end' }> => event.type === 'step:end');
  return { events, recap, runner, dir, ends };
}
