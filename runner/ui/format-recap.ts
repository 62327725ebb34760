import type { ChalkInstance } from 'chalk';
import type { RecapEvent, RecapStep, RunMode } from '../events/run-event.js';
import { statusColor } from './colors.js';
import { modePolicy } from '../engine/mode-policy.js';

export function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** The closing summary: totals, then each step's status and time. */
export function formatRecap(recap: RecapEvent, mode: RunMode, colors: ChalkInstance): string {
  const verb = modePolicy(mode).recapNote;
  // A preview changed nothing: what it counts is what would change.
  const preview = !modePolicy(mode).applies;
  const label = (status: RecapStep['status']) => (preview && status === 'changed' ? 'would-change' : status);
  const totals = (['ok', 'changed', 'skipped', 'failed', 'unknown'] as const)
    .map((status) => statusColor(colors, status)(`${label(status)}=${recap[status]}`))
    .join('  ');
  // A loop, not Math.max(...): a spread of 125,000 step names overflows the call stack.
  let width = 0;
  for (const step of recap.steps) width = Math.max(width, step.name.length);
  const lines = recap.steps.map(
    (step) =>
      `  ${step.name.padEnd(width)}  ${statusColor(colors, step.status)(label(step.status).padEnd(preview ? 12 : 7))} ${colors.dim(formatSeconds(step.durationMs))}`,
  );
  const head = `${colors.bold('Recap')}${verb}: ${totals}  ${colors.dim(formatSeconds(recap.durationMs))}${recap.interrupted ? colors.red('  interrupted') : ''}`;
  // Resuming repeats what stopped the run until that is dealt with: the line says so, except after an interrupt.
  const why = recap.interrupted
    ? 'Interrupted;'
    : recap.refused
      ? 'Refused; once what it names is dealt with,'
      : 'Failed; once the failure is fixed,';
  const resume = recap.resume ? [`${why} continue with: ${colors.bold(recap.resume)}`] : [];
  const back = recap.wayBack ? [`To go back to ${recap.wayBack.to}: ${colors.bold(recap.wayBack.command)}`] : [];
  const kept = (recap.kept ?? []).map((line) => `${colors.bold('Kept:')} ${line}`);
  return [head, ...lines, ...kept, ...back, ...resume].join('\n');
}
