import { preflight } from '../engine/preflight.js';
import { selectSteps } from '../engine/select-steps.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { InputError } from '../input/input-error.js';
import { loadInventory } from '../load/inventory.js';
import { loadPlaybook } from '../load/playbook.js';
import { builtinPlugins, pluginByName } from '../plugins/registry.js';
import { loadExtraVars } from '../vars/extra-vars.js';
import { resolveVars } from '../vars/resolve-vars.js';
import type { SecretMasker } from '../vars/secret-masker.js';
import type { AppIO } from './app-io.js';
import { buildLayers } from './build-layers.js';
import { mistypedNestedExtraVars, unreadExtraVars } from './unread-extra-vars.js';
import { formatStepList } from './list-steps.js';
import { reportInputError } from './report-input-error.js';
import type { RunOptions } from './run-options.js';
import { defaultInventory } from './default-inventory.js';
import { type VerifiedBackup } from './destruction-guard.js';
import { verifyNamedBackup } from './named-backup.js';
import { checkSandboxSettings } from './check-sandbox.js';
import { findResumable, findRun, playbookOfRun, type Resumable, type StartedWith } from './run-journal.js';
import { resumedExtraVars, startedWith } from './resumed-start.js';
import type { LoadedInventory } from '../load/inventory.js';
import { PendingRestores } from './pending-restores.js';
import { checkRunId } from './check-run-id.js';
import { siteStateDir } from './site-state-dir.js';
import type { DestructiveStep } from './destructive-steps.js';
import { modePolicy } from '../engine/mode-policy.js';

/** What a run is made of once everything is loaded and checked, before anything runs. */
export interface PreparedRun {
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
  /** The inventories and -e this run uses, as its journal records them for a later --resume. */
  started: StartedWith;
}

/**
 * Loads the playbook, the inventories and -e, resolves the variables, finds the run to resume and
 * checks every step's templates: a problem is reported (exit 3) before anything runs. `--list-steps`
 * ends here too.
 */
export async function prepareRun(
  options: RunOptions,
  io: AppIO,
  masker: SecretMasker,
  site: { stateDir?: string },
): Promise<PreparedRun | ExitCodeValue> {
  const plugins = builtinPlugins;
  try {
    const playbook = await loadPlaybook(options.playbook, plugins);
    const inventories = [];
    for (const path of options.inventories.length ? options.inventories : [defaultInventory()])
      inventories.push(await loadInventory(path));
    checkSandboxSettings(inventories);
    let extraVars = options.extraVars;
    let extra = await loadExtraVars(extraVars);
    const layers = buildLayers(plugins, playbook, inventories, extra);
    let vars = resolveVars(layers, masker);
    for (const warning of unreadExtraVars(
      extra,
      layers.filter((layer) => layer !== extra),
      playbook.steps,
      pluginByName(plugins),
    ))
      io.stderr.write(`warning: ${warning}\n`);
    for (const warning of mistypedNestedExtraVars(
      extra,
      layers.filter((layer) => layer !== extra),
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
      const given = { inventories: inventories.map((inventory) => inventory.path), extraVars };
      extraVars = resumedExtraVars(resumable.runId, resumable.started, given, Boolean(options.override), masker);
      if (extraVars !== options.extraVars) extra = await loadExtraVars(extraVars);
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
    const started = startedWith(
      inventories.map((inventory) => inventory.path),
      extraVars,
      masker,
    );
    return { playbook, inventories, vars, steps, stateDir, resumable, named, started };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reportInputError(new InputError(masker.maskDeep(error.problems)), io.stderr, io.env, options.color);
    return ExitCode.invalidInput;
  }
}
