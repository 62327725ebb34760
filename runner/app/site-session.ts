import type { PreparedRun } from './prepare-run.js';
import { runSteps } from '../engine/run-steps.js';
import { FileView } from '../engine/file-view.js';
import { ScratchDir } from '../engine/scratch-dir.js';
import { EventBus } from '../events/event-bus.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { InputError } from '../input/input-error.js';
import { builtinPlugins, pluginByName } from '../plugins/registry.js';
import { chooseRenderer } from '../ui/choose-renderer.js';
import type { SecretMasker } from '../vars/secret-masker.js';
import type { AppIO } from './app-io.js';
import { exitCodeFor } from './exit-code-for.js';
import { reportInputError } from './report-input-error.js';
import type { RunOptions } from './run-options.js';
import { isSandboxed, openSandbox, type SandboxSession } from './sandbox-session.js';
import { destructionGuard } from './destruction-guard.js';
import { backupMismatch, clusterKubectl } from './backup-witness.js';
import { RunJournal } from './run-journal.js';
import { ToolOutputLog } from './tool-output-log.js';
import { lockSite, SiteLocked } from './site-lock.js';
import { recordTools, waitForOrphans } from './orphan-tools.js';
import { PendingRestores } from './pending-restores.js';
import { siteArgs } from './site-args.js';
import { wayBackCommand } from './way-back-command.js';
import { tempDiffFiles } from '../ui/diff-files.js';
import { modePolicy } from '../engine/mode-policy.js';

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Holds the site for the run: its lock (in the modes that change it), then the session on it (the
 * simulated site started, orphaned tools waited for, the journal kept) while the steps run.
 */
export async function runInSiteSession(
  prepared: PreparedRun,
  options: RunOptions,
  io: AppIO,
  masker: SecretMasker,
): Promise<ExitCodeValue> {
  const { playbook, stateDir } = prepared;
  let unlock: (() => void) | undefined;
  if (modePolicy(options.mode).locks) {
    try {
      unlock = await lockSite(stateDir, playbook.file);
    } catch (error) {
      if (!(error instanceof SiteLocked)) throw error;
      io.stderr.write(`refused: ${error.message}\n`);
      return ExitCode.refused;
    }
  }
  const forgetUnlock = unlock && io.atForcedExit?.(unlock);
  try {
    return await runOnSite(prepared, options, io, masker);
  } catch (error) {
    if (io.signal?.aborted) return ExitCode.interrupted;
    throw error;
  } finally {
    forgetUnlock?.();
    unlock?.();
  }
}

/** Runs the steps on the site (started when simulated), journalling and guarding as the mode requires. */
async function runOnSite(
  prepared: PreparedRun,
  options: RunOptions,
  io: AppIO,
  masker: SecretMasker,
): Promise<ExitCodeValue> {
  const { playbook, vars, steps, inventories, stateDir, resumable, named } = prepared;
  const sandboxed = isSandboxed(vars.values);
  let sandbox: SandboxSession | undefined;
  // A dry run spawns nothing, so it needs no simulated site either.
  if (sandboxed && modePolicy(options.mode).startsSite) {
    try {
      sandbox = await openSandbox(vars.values, inventories[inventories.length - 1]!.dir, io.runner, (line) =>
        io.stderr.write(`${line}\n`),
      );
    } catch (error) {
      if (error instanceof InputError) {
        reportInputError(error, io.stderr, io.env, options.color);
        return ExitCode.invalidInput;
      }
      io.stderr.write(`cannot start the simulated site: ${masker.mask((error as Error).message)}\n`);
      return ExitCode.stepFailed;
    }
  }
  if (modePolicy(options.mode).locks) {
    try {
      // Once the simulated site is up: a killed run's helm goes on talking to the site's API, as it would to a real cluster that outlived the runner.
      await waitForOrphans(stateDir, (line) => io.stderr.write(`${line}\n`), io.signal);
    } catch (error) {
      await sandbox?.close();
      throw error;
    }
  }
  const renderer = await chooseRenderer({
    json: options.json,
    color: options.color,
    stdout: io.stdout,
    env: io.env,
    diffOutput: { detail: options.diff ?? 'summary', files: tempDiffFiles() },
    ...(options.verbose ? { verbose: true } : {}),
  });
  const bus = new EventBus(masker);
  bus.subscribe((event) => renderer.listen(event));
  // Only when a person can answer; the live task list then asks in its own place on the screen.
  const terminalAsk = io.ask;
  const ask = terminalAsk && (async (question: string) => (await renderer.ask?.(question)) ?? terminalAsk(question));
  bus.emit({
    type: 'run:start',
    playbook: playbook.file,
    name: playbook.name,
    site: String(vars.values['site']),
    simulated: sandboxed || vars.values['site_simulated'] === true,
    mode: options.mode,
    steps: steps.map((step) => ({ index: step.index, name: step.name, plugin: step.plugin })),
    ...(!modePolicy(options.mode).applies && !options.yes && prepared.destroying?.length
      ? {
          confirm: prepared.destroying.map(({ step, what }) => ({
            index: step.index,
            name: step.name,
            plugin: step.plugin,
            what,
          })),
        }
      : {}),
  });
  const journal = modePolicy(options.mode).journals
    ? new RunJournal(stateDir, String(vars.values['run_id']))
    : undefined;
  journal?.start(playbook.file, resumable !== undefined, prepared.started);
  const outputLog = journal && new ToolOutputLog(journal.path.replace(/\.jsonl$/, '.log'));
  if (outputLog) bus.subscribe((event) => outputLog.listen(event));
  // Quitting at once still ends the journal, so --resume knows the run was interrupted.
  const forgetJournal =
    journal &&
    io.atForcedExit?.(() => journal.end({ ok: 0, changed: 0, failed: 0, interrupted: true, refused: false }));
  const stopRecording = modePolicy(options.mode).journals ? recordTools(stateDir) : undefined;
  const forgetRecording = stopRecording && io.atForcedExit?.(stopRecording);
  const scratch = new ScratchDir();
  const forgetScratch = io.atForcedExit?.(() => scratch.dispose());
  let spawned = 0;
  const siteRunner = sandbox?.runner ?? io.runner;
  const guard = destructionGuard({
    yes: options.yes || prepared.confirmed === true,
    named,
    witness: (backup, destruction) =>
      backupMismatch(backup, clusterKubectl(destruction.cluster, vars.values), (request) => {
        spawned += 1;
        return siteRunner.run(request, io.signal);
      }),
    ...(ask ? { ask } : {}),
    restores: {
      store: new PendingRestores(stateDir),
      runId: String(vars.values['run_id']),
      playbook: playbook.file,
      siteArgs: siteArgs(options),
      ...(io.command ? { command: io.command } : {}),
    },
  });
  let recap;
  try {
    recap = await runSteps(steps, {
      ...(outputLog ? { fullOutput: outputLog.path } : {}),
      ...(journal ? { resumeCommand: `${io.command ?? 'run'} ${playbook.file} ${siteArgs(options)}--resume` } : {}),
      wayBackCommand: (way) => wayBackCommand(io.command ?? 'run', playbook.file, siteArgs(options), way),
      spawned: () => spawned,
      guard,
      ...(journal ? { onStepEnd: (ref, status, result) => journal.step(ref, status, masker.maskDeep(result)) } : {}),
      ...(resumable ? { resumed: resumable.done } : {}),
      ...(sandbox
        ? { beforeRecap: async () => bus.emit({ type: 'site:summary', lines: await sandbox.summary() }) }
        : {}),
      mode: options.mode,
      plugins: pluginByName(builtinPlugins),
      vars: vars.values,
      runner: { run: (request, signal) => ((spawned += 1), siteRunner.run(request, signal)) },
      files: new FileView(),
      scratch,
      bus,
      masker,
      ...(io.signal ? { signal: io.signal } : {}),
      sleep: io.sleep ?? wait,
    });
    journal?.end(recap);
    if (recap.failed > 0 || recap.refused || recap.interrupted)
      for (const namespace of guard.releaseUnused())
        io.stderr.write(
          `nothing was destroyed, so the restore of ${namespace} this run opened is not left pending (--resume opens it again)\n`,
        );
  } finally {
    forgetJournal?.();
    forgetRecording?.();
    stopRecording?.();
    forgetScratch?.();
    scratch.dispose();
    await sandbox?.close();
  }
  await renderer.finish();
  return exitCodeFor(recap, options.mode);
}
