import { knownEffects, preflight } from '../engine/preflight.js';
import { runSteps } from '../engine/run-steps.js';
import { selectSteps } from '../engine/select-steps.js';
import { FileView } from '../engine/file-view.js';
import { ScratchDir } from '../engine/scratch-dir.js';
import { EventBus } from '../events/event-bus.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { InputError } from '../input/input-error.js';
import { loadInventory } from '../load/inventory.js';
import { loadPlaybook } from '../load/playbook.js';
import { builtinPlugins, pluginByName } from '../plugins/registry.js';
import { chooseRenderer } from '../ui/choose-renderer.js';
import { loadExtraVars } from '../vars/extra-vars.js';
import { resolveVars } from '../vars/resolve-vars.js';
import { SecretMasker } from '../vars/secret-masker.js';
import { taintFrom } from '../template/secret-taint.js';
import { fileSystemProblem } from './file-system-problem.js';
import type { AppIO } from './app-io.js';
import { buildLayers } from './build-layers.js';
import { unreadExtraVars } from './unread-extra-vars.js';
import { exitCodeFor } from './exit-code-for.js';
import { formatStepList } from './list-steps.js';
import { reportInputError } from './report-input-error.js';
import type { RunOptions } from './run-options.js';
import { openSandbox, type SandboxSession } from './sandbox-session.js';
import { defaultInventory } from './default-inventory.js';
import { destructionGuard, type VerifiedBackup } from './destruction-guard.js';
import { verifyNamedBackup } from './named-backup.js';
import { backupMismatch, clusterKubectl } from './backup-witness.js';
import { checkSandboxSettings } from './check-sandbox.js';
import { findResumable, findRun, playbookOfRun, RunJournal, type Resumable } from './run-journal.js';
import { lockSite, SiteLocked } from './site-lock.js';
import { recordTools, waitForOrphans } from './orphan-tools.js';
import type { LoadedInventory } from '../load/inventory.js';
import { PendingRestores } from './pending-restores.js';
import { pendingRestoreConflict } from './pending-restore-conflict.js';
import { checkRunId } from './check-run-id.js';
import { siteArgs } from './site-args.js';
import { siteStateDir } from './site-state-dir.js';
import { describeDestructiveSteps, destructiveSteps, type DestructiveStep } from './destructive-steps.js';
import type { PluginStep } from '../load/plugin-step.js';
import { tempDiffFiles } from '../ui/diff-files.js';
import { modePolicy } from '../engine/mode-policy.js';

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The whole command: everything is loaded and checked before the first probe runs. */
export async function runPlaybook(options: RunOptions, io: AppIO): Promise<ExitCodeValue> {
  const masker = new SecretMasker();
  // Whatever renders from now on, a value made from a secret becomes one.
  taintFrom(masker);
  const site: { stateDir?: string } = {};
  try {
    return await loadAndRun(options, io, masker, site);
  } catch (error) {
    const problem = fileSystemProblem(error, site.stateDir);
    if (problem) {
      io.stderr.write(`error: ${masker.mask(problem)}\n`);
      return ExitCode.cannotWrite;
    }
    throw maskedError(error, masker);
  }
}

/** An unexpected error still never shows a secret, in its message or its stack. */
function maskedError(error: unknown, masker: SecretMasker): Error {
  if (!(error instanceof Error)) return new Error(masker.mask(String(error)));
  const masked = new Error(masker.mask(error.message));
  masked.stack = masker.mask(error.stack ?? '');
  return masked;
}

async function loadAndRun(
  options: RunOptions,
  io: AppIO,
  masker: SecretMasker,
  site: { stateDir?: string },
): Promise<ExitCodeValue> {
  const plugins = builtinPlugins;
  let prepared: PreparedRun;
  try {
    const playbook = await loadPlaybook(options.playbook, plugins);
    const inventories = [];
    for (const path of options.inventories.length ? options.inventories : [defaultInventory()])
      inventories.push(await loadInventory(path));
    checkSandboxSettings(inventories);
    const extra = await loadExtraVars(options.extraVars);
    const layers = buildLayers(plugins, playbook, inventories, extra);
    let vars = resolveVars(layers, masker);
    for (const warning of unreadExtraVars(
      extra,
      layers.filter((layer) => layer !== extra),
      playbook.steps,
      pluginByName(plugins),
    ))
      io.stderr.write(`warning: ${warning}\n`);
    const stateDir = siteStateDir(vars.values, inventories);
    site.stateDir = stateDir;
    let resumable: Resumable | undefined;
    if (options.resume) {
      // A run that ended cleanly with only some of its steps selected can still leave a restore pending.
      const pending = new PendingRestores(stateDir).list().find((restore) => restore.playbook === playbook.file);
      resumable = pending ? findRun(stateDir, playbook.file, pending.runId) : findResumable(stateDir, playbook.file);
      if (!resumable)
        throw new InputError({
          message: `--resume: no unfinished run of ${playbook.file} in ${stateDir}/runs; the last one finished, or none ran`,
        });
      // The interrupted run's id names its folders, so the resumed run finds its backup again.
      const layers = buildLayers(plugins, playbook, inventories, extra);
      layers.splice(layers.length - 1, 0, {
        label: `--resume (run ${resumable.runId})`,
        values: { run_id: resumable.runId },
        locate: () => undefined,
        literal: true,
      });
      vars = resolveVars(layers, masker);
    }
    const named: VerifiedBackup[] = [];
    for (const dir of options.backups) named.push(...(await verifyNamedBackup(dir)));
    const steps = selectSteps(playbook.steps, {
      tags: options.tags,
      skipTags: options.skipTags,
      ...(options.startAt !== undefined ? { startAt: options.startAt } : {}),
    });
    if (options.listSteps) {
      io.stdout.write(formatStepList(playbook.name, playbook.file, playbook.steps, steps));
      return ExitCode.ok;
    }
    checkRunId(vars);
    const earlier = modePolicy(options.mode).journals
      ? playbookOfRun(stateDir, String(vars.values['run_id']))
      : undefined;
    if (earlier !== undefined && earlier !== playbook.file) {
      throw new InputError({
        message: `run_id ${String(vars.values['run_id'])} was used by a run of ${earlier} on this site: give this run a run_id of its own`,
      });
    }
    preflight(steps, playbook.steps, vars.values, pluginByName(plugins), vars.origin);
    prepared = { playbook, inventories, vars, steps, stateDir, resumable, named };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reportInputError(new InputError(masker.maskDeep(error.problems)), io.stderr, io.env, options.color);
    return ExitCode.invalidInput;
  }

  const { playbook, stateDir } = prepared;
  const effects = knownEffects(prepared.steps, playbook.steps, prepared.vars.values, pluginByName(plugins));
  const restoreRefusal = pendingRestoreConflict(
    prepared.steps,
    effects,
    new PendingRestores(stateDir),
    String(prepared.vars.values['run_id']),
    siteArgs(options),
    io.command,
  );
  if (restoreRefusal) {
    io.stderr.write(`${masker.mask(restoreRefusal)}\nnothing was run\n`);
    return ExitCode.refused;
  }
  prepared.destroying = destructiveSteps(
    prepared.steps,
    effects,
    prepared.vars.values,
    new Set(prepared.resumable?.done.keys() ?? []),
  );
  if (modePolicy(options.mode).applies && prepared.destroying.length > 0 && !options.yes) {
    const confirmed = await confirmUpFront(prepared, io).catch((error: unknown) => {
      if (io.signal?.aborted) return 'interrupted at the confirmation';
      throw error;
    });
    if (io.signal?.aborted) {
      io.stderr.write('interrupted at the confirmation: nothing was run\n');
      return ExitCode.interrupted;
    }
    if (confirmed !== true) {
      io.stderr.write(`${masker.mask(confirmed)}\nnothing was run\n`);
      return ExitCode.refused;
    }
    prepared.confirmed = true;
  }
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

/**
 * Asked once, before anything runs, while the person who started the run is watching: a rebuild's
 * destroy comes minutes after its backup, and a refusal then leaves nothing behind. Each destructive
 * step still needs its verified backup when it comes.
 */
async function confirmUpFront(prepared: PreparedRun, io: AppIO): Promise<true | string> {
  const position = (step: PluginStep) => `[${prepared.steps.indexOf(step) + 1}/${prepared.steps.length}]`;
  const list = describeDestructiveSteps(prepared.destroying ?? [], position);
  if (!io.ask)
    return `refused: this run may destroy what users' data depends on, and nobody can confirm it here (no terminal); check it with --check, then rerun with --yes:\n${list}`;
  const answer = (
    await io.ask(
      `This run may destroy:\n${list}\nEach goes ahead only once a verified backup covers it. Type "yes" to go on: `,
    )
  )
    .trim()
    .toLowerCase();
  return answer === 'yes' ? true : 'refused: not confirmed';
}

interface PreparedRun {
  /** Steps that may destroy, known before the run; an apply confirms them up front. */
  destroying?: DestructiveStep[];
  confirmed?: boolean;
  playbook: Awaited<ReturnType<typeof loadPlaybook>>;
  inventories: LoadedInventory[];
  vars: ReturnType<typeof resolveVars>;
  steps: ReturnType<typeof selectSteps>;
  stateDir: string;
  resumable: Resumable | undefined;
  named: VerifiedBackup[];
}

/** Runs the steps on the site (started when simulated), journalling and guarding as the mode requires. */
async function runOnSite(
  prepared: PreparedRun,
  options: RunOptions,
  io: AppIO,
  masker: SecretMasker,
): Promise<ExitCodeValue> {
  const { playbook, vars, steps, inventories, stateDir, resumable, named } = prepared;
  const sandboxed = vars.values['sandbox'] !== undefined && vars.values['sandbox'] !== null;
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
  journal?.start(playbook.file, resumable !== undefined);
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
  let recap;
  try {
    recap = await runSteps(steps, {
      ...(journal ? { resumeCommand: `${io.command ?? 'run'} ${playbook.file} ${siteArgs(options)}--resume` } : {}),
      spawned: () => spawned,
      guard: destructionGuard({
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
      }),
      ...(journal ? { onStepEnd: (ref, status, result) => journal.step(ref, status, masker.maskDeep(result)) } : {}),
      ...(resumable ? { resumed: resumable.done } : {}),
      ...(sandbox ? { beforeRecap: () => bus.emit({ type: 'site:summary', lines: sandbox.summary() }) } : {}),
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
