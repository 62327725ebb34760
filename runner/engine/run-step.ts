import type { StepStatus, StepRef } from '../events/run-event.js';
import { formatLocation } from '../input/source-location.js';
import type { AnyPlugin, StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { formatProblem } from '../input/input-error.js';
import { evaluateCondition, RenderError } from '../template/render.js';
import { prepareArgs } from './prepare-args.js';
import { TemplateError } from '../template/template-error.js';
import { referencedNames } from '../template/template-names.js';
import { ActionFailed, applyActions } from './apply-actions.js';
import { withWriteModes } from './write-modes.js';
import { displayAction } from './display-action.js';
import type { StepContext } from './engine-context.js';
import { createProbeIO, ProbeUnavailable } from './probe-io.js';
import type { PluginStep } from '../load/plugin-step.js';
import { buildResult, type ActionOutcome, type StepResult } from './step-result.js';
import { checkedData } from './checked-data.js';
import { stepTemplates } from './step-templates.js';
import { modePolicy } from './mode-policy.js';

/** A step that cannot go on; carries where in the playbook the problem was written. */
class StepFailure extends Error {
  constructor(
    message: string,
    readonly location?: string,
    /** A safety check of the plan said no: the run ends refused (exit 4). */
    readonly refused = false,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

interface StepOutcome {
  status: StepStatus;
  reason: string;
  result: StepResult;
  error?: string;
  location?: string;
  /** A safety guard stopped the step before it did anything. */
  refused?: boolean;
  /** In a preview: every action it would take is a file write, recorded so later steps read what it would write. */
  writesRecorded?: boolean;
}

function pendingDependency(step: PluginStep, ctx: StepContext): string | undefined {
  if (ctx.pending.size === 0) return undefined;
  for (const template of stepTemplates(step)) {
    for (const reference of referencedNames(template.source)) {
      const from = ctx.pending.get(reference.path[0]!);
      if (from) return `depends on '${reference.path[0]}' from step '${from}', which has not been applied`;
    }
  }
  return undefined;
}

function templateFailure(error: unknown, step: PluginStep, basePath: (string | number)[] = []): never {
  if (error instanceof RenderError) {
    throw new StepFailure(
      formatProblem({ message: error.message, hint: error.hint }),
      formatLocation(step.locate([...basePath, ...error.path])),
    );
  }
  if (error instanceof TemplateError) {
    throw new StepFailure(
      formatProblem({ message: error.message, hint: error.hint }),
      formatLocation(step.locate(basePath)),
    );
  }
  throw error;
}

function condition(
  step: PluginStep,
  key: 'when' | 'until' | 'changed_when' | 'failed_when',
  scope: Record<string, unknown>,
): boolean {
  try {
    return evaluateCondition(step[key]!, scope);
  } catch (error) {
    return templateFailure(error, step, [key]);
  }
}

function renderArgs(step: PluginStep, plugin: AnyPlugin, scope: Record<string, unknown>): unknown {
  let prepared;
  try {
    prepared = prepareArgs(step, plugin, scope);
  } catch (error) {
    return templateFailure(error, step, [step.plugin]);
  }
  const { problems } = prepared;
  if (problems.length > 0)
    throw new StepFailure(
      problems.map((problem) => formatProblem({ ...problem, location: undefined })).join('; '),
      formatLocation(problems[0]!.location),
    );
  return prepared.args;
}

/** What the plugin finds about a failed wait (the objects not ready, and why), to end the step's reason; nothing if it cannot tell. */
async function explanation(
  plugin: AnyPlugin,
  args: unknown,
  scope: Record<string, unknown>,
  ctx: StepContext,
): Promise<string> {
  if (!plugin.explainFailure || !ctx.runner) return '';
  try {
    const lines = await plugin.explainFailure(
      args,
      createProbeIO(ctx.files, ctx.runner, scope, ctx.signal, ctx.scratch),
    );
    return lines.length ? `. Not ready: ${lines.join('; ')}` : '';
  } catch {
    return '';
  }
}

/** Whether changes a preview did not apply may have touched what this step reads, so its failure may be theirs. */
function unsettled(plugin: AnyPlugin, ctx: StepContext): boolean {
  if (!ctx.pendingChange) return false;
  if (!plugin.reads || ctx.pendingWorlds.has('any')) return true;
  return plugin.reads.some((world) => ctx.pendingWorlds.has(world));
}

async function planStep(
  plugin: AnyPlugin,
  args: unknown,
  scope: Record<string, unknown>,
  ctx: StepContext,
): Promise<StepPlan | 'unobservable'> {
  const runner = modePolicy(ctx.mode).probes ? ctx.runner : undefined;
  let facts: unknown;
  try {
    facts = plugin.probe
      ? await plugin.probe(args, createProbeIO(ctx.files, runner, scope, ctx.signal, ctx.scratch))
      : undefined;
  } catch (error) {
    if (error instanceof ProbeUnavailable) facts = undefined;
    // An interrupt that lands while the step looks is the run's interrupt, not the step's failure.
    else if (ctx.signal?.aborted) throw error;
    else if (unsettled(plugin, ctx)) return 'unobservable';
    else if (error instanceof PlanError) throw new StepFailure(error.message, undefined, error instanceof PlanRefusal);
    else throw new StepFailure(`probe failed: ${(error as Error).message}`);
  }
  let plan: StepPlan;
  try {
    plan = plugin.plan(args, facts);
  } catch (error) {
    if (unsettled(plugin, ctx)) return 'unobservable';
    if (error instanceof PlanError) throw new StepFailure(error.message, undefined, error instanceof PlanRefusal);
    throw error;
  }
  // Outside the plan's own errors: a plugin that breaks its declarations is never read as "cannot be observed yet".
  return checkedData(plugin, plan);
}

/** Re-probes a plan that awaits a condition, every interval, for at most its timeout. */
async function pollUntilSettled(
  first: StepPlan,
  plugin: AnyPlugin,
  args: unknown,
  scope: Record<string, unknown>,
  ref: StepRef,
  ctx: StepContext,
): Promise<StepPlan | 'unobservable'> {
  let plan: StepPlan | 'unobservable' = first;
  const poll = first.poll!;
  const attempts = Math.max(1, Math.ceil(poll.timeoutSeconds / Math.max(poll.intervalSeconds, 0.001)));
  for (
    let number = 1;
    number <= attempts && plan !== 'unobservable' && plan.poll && plan.change !== 'none';
    number += 1
  ) {
    ctx.bus.emit({
      type: 'step:retry',
      ...ref,
      attempt: number,
      attempts: attempts + 1,
      delaySeconds: poll.intervalSeconds,
      reason: `waiting for ${poll.waitingFor}`,
    });
    await ctx.sleep(poll.intervalSeconds * 1000);
    ctx.signal?.throwIfAborted();
    const before = ctx.spawned?.() ?? 0;
    plan = await planStep(plugin, args, scope, ctx);
    ctx.recheckProcesses = (ctx.recheckProcesses ?? 0) + (ctx.spawned?.() ?? 0) - before;
  }
  return plan;
}

async function attempt(
  plugin: AnyPlugin,
  args: unknown,
  scope: Record<string, unknown>,
  ref: StepRef,
  ctx: StepContext,
): Promise<StepOutcome> {
  let plan = await planStep(plugin, args, scope, ctx);
  if (plan !== 'unobservable' && plan.poll && plan.change !== 'none' && modePolicy(ctx.mode).polls)
    plan = await pollUntilSettled(plan, plugin, args, scope, ref, ctx);
  if (plan === 'unobservable') {
    const reason = 'cannot be observed until earlier changes are applied';
    return { status: 'unknown', reason, result: buildResult('unknown', reason, []) };
  }
  for (const secret of plan.secrets ?? []) ctx.masker.add(secret);
  plan = withWriteModes(plan, (text) => ctx.masker.bears(text));
  ctx.bus.emit({
    type: 'step:plan',
    ...ref,
    change: plan.change,
    reason: plan.reason,
    actions: plan.actions.map(displayAction),
    diffs: plan.diffs ?? [],
    ...(plan.warnings?.length ? { warnings: plan.warnings } : {}),
    ...(plan.details?.length ? { details: plan.details } : {}),
  });
  const marks = {
    ...(plan.protects ? { protects: plan.protects } : {}),
    ...(plan.restore ? { restore: plan.restore } : {}),
    ...(plan.keep?.length ? { keep: plan.keep } : {}),
  };
  if (plan.change === 'none')
    return { status: 'ok', reason: plan.reason, result: buildResult('ok', plan.reason, [], plan.data, marks) };
  if (plan.poll) {
    if (!modePolicy(ctx.mode).polls) {
      const reason = `would wait up to ${plan.poll.timeoutSeconds}s for ${plan.poll.waitingFor}`;
      return { status: 'unknown', reason, result: buildResult('unknown', reason, [], plan.data) };
    }
    const reason = `timed out after ${plan.poll.timeoutSeconds}s waiting for ${plan.poll.waitingFor}: ${plan.reason}${await explanation(plugin, args, scope, ctx)}`;
    return { status: 'failed', reason, error: reason, result: buildResult('failed', reason, [], plan.data) };
  }
  if (!modePolicy(ctx.mode).applies) {
    for (const action of plan.actions)
      if (action.kind === 'write') await ctx.files.recordPlannedWrite(action.path, action.content, action.mode);
    return {
      status: 'changed',
      // Only a plan made from facts knows what it would write; a dry run's may not list its writes at all.
      writesRecorded:
        modePolicy(ctx.mode).probes &&
        plan.actions.length > 0 &&
        plan.actions.every((action) => action.kind === 'write'),
      reason: plan.reason,
      result: buildResult('changed', plan.reason, [], plan.data, marks),
    };
  }
  const deploysInto = plugin.effects?.(args).deploysInto;
  const refusal =
    (deploysInto !== undefined ? ctx.guard?.approveDeploy(deploysInto) : undefined) ??
    (plan.destroys && ctx.guard ? await ctx.guard.approve(plan.destroys, ref) : undefined);
  if (refusal)
    return {
      status: 'failed',
      reason: refusal,
      error: refusal,
      refused: true,
      result: buildResult('failed', refusal, [], plan.data),
    };
  let outcomes: ActionOutcome[];
  try {
    outcomes = await applyActions(
      plan.actions,
      ctx.runner,
      ctx.signal,
      ctx.fullOutput,
      (lines) => ctx.bus.emit({ type: 'step:output', ...ref, lines }),
      plan.concurrency,
    );
  } catch (error) {
    if (!(error instanceof ActionFailed)) throw error;
    const reason = `${error.message}${await explanation(plugin, args, scope, ctx)}${error.more}`;
    return {
      status: 'failed',
      reason,
      error: reason,
      result: buildResult('failed', reason, error.outcomes, plan.data, plan.wayBack ? { wayBack: plan.wayBack } : {}),
    };
  }
  return {
    status: 'changed',
    reason: plan.reason,
    result: buildResult('changed', plan.reason, outcomes, plan.data, marks),
  };
}

/** Applies `changed_when` / `failed_when`, which only mean something once actions really ran. */
function overrideOutcome(
  step: PluginStep,
  outcome: StepOutcome,
  scope: Record<string, unknown>,
  ctx: StepContext,
): StepOutcome {
  if (!modePolicy(ctx.mode).judgesResults || outcome.status === 'unknown') return outcome;
  const withResult = { ...scope, result: outcome.result };
  let { status, reason } = outcome;
  if (step.failed_when !== undefined) {
    if (condition(step, 'failed_when', withResult)) {
      status = 'failed';
      reason = 'failed_when is true';
    } else if (status === 'failed') {
      status = outcome.result.results.length > 0 ? 'changed' : 'ok';
      reason = 'failed_when is false';
    }
  }
  if (step.changed_when !== undefined && status !== 'failed') {
    status = condition(step, 'changed_when', withResult) ? 'changed' : 'ok';
    reason = status === 'ok' ? 'changed_when is false' : 'changed_when is true';
  }
  const error = status === 'failed' ? (outcome.error ?? reason) : undefined;
  return {
    ...outcome,
    status,
    reason,
    result: { ...outcome.result, status, changed: status === 'changed', failed: status === 'failed' },
    ...(error ? { error } : {}),
  };
}

export async function executeStep(step: PluginStep, ctx: StepContext): Promise<StepOutcome> {
  const plugin = ctx.plugins.get(step.plugin)!;
  const ref: StepRef = { index: step.index, name: step.name, plugin: step.plugin };
  const scope: Record<string, unknown> = { ...ctx.vars, ...ctx.registered };
  const dependency = pendingDependency(step, ctx);
  if (dependency) return { status: 'unknown', reason: dependency, result: buildResult('unknown', dependency, []) };
  if (step.when !== undefined && !condition(step, 'when', scope)) {
    const reason = `its condition is false (when: ${String(step.when)})`;
    return { status: 'skipped', reason, result: buildResult('skipped', reason, []) };
  }
  const args = renderArgs(step, plugin, scope);
  const attempts = step.until !== undefined ? (step.retries ?? 3) + 1 : 1;
  for (let number = 1; ; number += 1) {
    const outcome = overrideOutcome(step, await attempt(plugin, args, scope, ref, ctx), scope, ctx);
    if (step.until === undefined || !modePolicy(ctx.mode).polls) return outcome;
    // With `until`, the condition decides success: a failing probe command is how many waits look.
    if (condition(step, 'until', { ...scope, result: outcome.result })) {
      if (outcome.status !== 'failed') return outcome;
      const { error: _error, ...rest } = outcome;
      return {
        ...rest,
        status: 'changed',
        reason: 'until is true',
        result: { ...outcome.result, status: 'changed', failed: false, changed: true },
      };
    }
    if (number >= attempts) {
      const reason = `'until' still false after ${attempts} attempt(s)`;
      return { ...outcome, status: 'failed', reason, error: reason };
    }
    const delaySeconds = step.delay ?? 5;
    ctx.bus.emit({ type: 'step:retry', ...ref, attempt: number, attempts, delaySeconds, reason: 'until is false' });
    await ctx.sleep(delaySeconds * 1000);
  }
}

export async function runStep(step: PluginStep, ctx: StepContext): Promise<StepOutcome> {
  try {
    return await executeStep(step, ctx);
  } catch (error) {
    if (error instanceof StepFailure) {
      return {
        status: 'failed',
        reason: error.message,
        error: error.message,
        result: buildResult('failed', error.message, []),
        ...(error.location ? { location: error.location } : {}),
        ...(error.refused ? { refused: true } : {}),
      };
    }
    throw error;
  }
}

export type { StepOutcome };
