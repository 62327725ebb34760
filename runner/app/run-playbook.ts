import { prepareRun } from './prepare-run.js';
import { confirmUpFront } from './confirm-up-front.js';
import { describeSite } from './site-description.js';
import { runInSiteSession } from './site-session.js';
import { knownEffects } from '../engine/preflight.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { builtinPlugins, pluginByName } from '../plugins/registry.js';
import { SecretMasker } from '../vars/secret-masker.js';
import { taintFrom } from '../template/secret-taint.js';
import { fileSystemProblem } from './file-system-problem.js';
import type { AppIO } from './app-io.js';
import type { RunOptions } from './run-options.js';
import { PendingRestores } from './pending-restores.js';
import { pendingRestoreConflict } from './pending-restore-conflict.js';
import { siteArgs } from './site-args.js';
import { destructiveSteps } from './destructive-steps.js';
import { modePolicy } from '../engine/mode-policy.js';
import { withJsonRecap } from './json-early-recap.js';

/** The whole command: everything is loaded and checked before the first probe runs. */
export async function runPlaybook(options: RunOptions, io: AppIO): Promise<ExitCodeValue> {
  const masker = new SecretMasker();
  // Whatever renders from now on, a value made from a secret becomes one.
  taintFrom(masker);
  const site: { stateDir?: string } = {};
  if (options.json) return withJsonRecap(io, (tapped) => runCaught(options, tapped, masker, site));
  return runCaught(options, io, masker, site);
}

/** The run, with a state folder it cannot write reported as such (exit 5) and any other error masked. */
async function runCaught(
  options: RunOptions,
  io: AppIO,
  masker: SecretMasker,
  site: { stateDir?: string },
): Promise<ExitCodeValue> {
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

/** Refuses what a pending restore forbids, asks once about what may be destroyed, then runs holding the site. */
async function loadAndRun(
  options: RunOptions,
  io: AppIO,
  masker: SecretMasker,
  site: { stateDir?: string },
): Promise<ExitCodeValue> {
  const plugins = builtinPlugins;
  const prepared = await prepareRun(options, io, masker, site);
  if (typeof prepared === 'number') return prepared;
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
    const confirmed = await confirmUpFront(prepared, io, describeSite(prepared.vars.values)).catch((error: unknown) => {
      if (io.signal?.aborted) return 'interrupted at the confirmation';
      throw error;
    });
    if (io.signal?.aborted) {
      io.stderr.write('not confirmed (interrupted at the confirmation): nothing was run\n');
      return ExitCode.interrupted;
    }
    if (confirmed !== true) {
      io.stderr.write(`${masker.mask(confirmed)}\nnothing was run\n`);
      return ExitCode.refused;
    }
    prepared.confirmed = true;
  }
  return runInSiteSession(prepared, options, io, masker);
}
