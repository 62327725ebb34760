import type { RecapEvent, RecapStep, StepStatus } from '../events/run-event.js';
import type { EngineContext, StepContext } from './engine-context.js';
import { runStep } from './run-step.js';
import type { PluginStep } from '../load/plugin-step.js';
import { modePolicy } from './mode-policy.js';

/** Milliseconds since a monotonic mark; `performance` is not used, as its first touch loads perf_hooks (~1 ms of a preview). */
const elapsedMs = (since: bigint) => Math.round(Number(process.hrtime.bigint() - since) / 1e6);

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (error as Error)?.name === 'AbortError';
}

/** Runs the selected steps in order, stops at the first failure, and returns the recap it emitted. */
export async function runSteps(steps: readonly PluginStep[], options: EngineContext): Promise<RecapEvent> {
  const ctx: StepContext = {
    ...options,
    registered: {},
    pending: new Map(),
    pendingChange: false,
    pendingWorlds: new Set(),
  };
  const started = process.hrtime.bigint();
  const recapSteps: RecapStep[] = [];
  const counts: Record<StepStatus, number> = { ok: 0, changed: 0, skipped: 0, failed: 0, unknown: 0 };
  let interrupted = false;
  let refused = false;
  let wayBack: RecapEvent['wayBack'];
  const kept: string[] = [];
  for (const step of steps) {
    if (ctx.signal?.aborted) {
      interrupted = true;
      break;
    }
    const ref = { index: step.index, name: step.name, plugin: step.plugin };
    const stepStarted = process.hrtime.bigint();
    ctx.bus.emit({ type: 'step:start', ...ref });
    const done = ctx.resumed?.get(step.index);
    if (done && done.name === step.name && !ctx.plugins.get(step.plugin)?.rechecksOnResume) {
      // Finished by the interrupted run: its registered result comes back, nothing runs again.
      if (step.register) ctx.registered[step.register] = done.result;
      ctx.guard?.observe(done.result);
      kept.push(...(done.result.keep ?? []));
      const reason = `done in run ${done.runId} (${done.result.status})`;
      ctx.bus.emit({ type: 'step:end', ...ref, status: 'ok', reason, durationMs: 0 });
      recapSteps.push({ name: step.name, status: 'ok', durationMs: 0 });
      counts.ok += 1;
      continue;
    }
    let outcome;
    try {
      outcome = await runStep(step, ctx);
      // A step that failed because the interrupt stopped its tool was interrupted, and is recorded so.
      if (outcome.status === 'failed' && ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('interrupted');
    } catch (error) {
      if (!isAbort(error, ctx.signal)) throw error;
      const durationMs = elapsedMs(stepStarted);
      ctx.bus.emit({
        type: 'step:end',
        ...ref,
        status: 'failed',
        reason: 'interrupted',
        error: 'interrupted',
        durationMs,
      });
      recapSteps.push({ name: step.name, status: 'failed', durationMs });
      counts.failed += 1;
      interrupted = true;
      break;
    }
    const durationMs = elapsedMs(stepStarted);
    if (step.register) ctx.registered[step.register] = outcome.result;
    if (modePolicy(ctx.mode).applies && outcome.status !== 'failed') kept.push(...(outcome.result.keep ?? []));
    if (modePolicy(ctx.mode).applies && outcome.status !== 'failed') ctx.guard?.observe(outcome.result);
    if (modePolicy(ctx.mode).journals) ctx.onStepEnd?.(ref, outcome.status, outcome.result);
    if (!modePolicy(ctx.mode).applies && (outcome.status === 'changed' || outcome.status === 'unknown')) {
      ctx.pendingChange = true;
      // Files a preview would write are recorded, and later steps read them as written: they are not unsettled.
      for (const world of ctx.plugins.get(step.plugin)?.changes ?? ['any' as const])
        if (world !== 'files' || !outcome.writesRecorded) ctx.pendingWorlds.add(world);
      if (step.register) ctx.pending.set(step.register, step.name);
    }
    ctx.bus.emit({
      type: 'step:end',
      ...ref,
      status: outcome.status,
      reason: outcome.reason,
      durationMs,
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.location ? { location: outcome.location } : {}),
      ...(outcome.refused ? { refused: true } : {}),
    });
    recapSteps.push({ name: step.name, status: outcome.status, durationMs });
    counts[outcome.status] += 1;
    if (outcome.refused) refused = true;
    const way = outcome.result.way_back;
    if (outcome.status === 'failed' && way && ctx.wayBackCommand)
      wayBack = { command: ctx.wayBackCommand(way), to: way.to };
    if (outcome.status === 'failed') break;
  }
  const unfinished = interrupted || refused || counts.failed > 0;
  const recap: RecapEvent = {
    type: 'recap',
    ...counts,
    interrupted,
    ...(refused ? { refused } : {}),
    ...(ctx.spawned ? { processes: ctx.spawned(), recheckProcesses: ctx.recheckProcesses ?? 0 } : {}),
    ...(wayBack ? { wayBack } : {}),
    ...(unfinished && ctx.resumeCommand ? { resume: ctx.resumeCommand } : {}),
    durationMs: elapsedMs(started),
    steps: recapSteps,
    ...(kept.length ? { kept } : {}),
  };
  await ctx.beforeRecap?.();
  ctx.bus.emit(recap);
  return recap;
}
