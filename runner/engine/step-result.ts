import type { StepStatus } from '../events/run-event.js';
import type { ExecResult } from '../exec/exec-result.js';
import type { ProtectedBackup, RestoreMark, StepPlan, WayBack } from '../plugin-contract/contract.js';

export interface ActionOutcome extends ExecResult {
  argv: string[];
}

/** What `register:` saves and `until` / `changed_when` / `failed_when` read as `result`. */
export interface StepResult {
  status: StepStatus;
  changed: boolean;
  failed: boolean;
  skipped: boolean;
  reason: string;
  rc: number;
  stdout: string;
  stderr: string;
  stdout_lines: string[];
  results: ActionOutcome[];
  /** A verified backup the step took or found, kept with the result so a resumed run still knows it. */
  protects?: ProtectedBackup;
  /** A restore the step opened or proved complete. */
  restore?: RestoreMark;
  /** Lines for the recap about what the step left to keep (snapshots), kept so a resumed run still shows them. */
  keep?: string[];
  /** A step whose actions failed: the playbook that goes back to how things were before it, kept so the journal has it. */
  way_back?: WayBack;
  [data: string]: unknown;
}

/** The keys every registered result has; a plugin's `data` may not use them. */
export const resultKeys = [
  'status',
  'changed',
  'failed',
  'skipped',
  'reason',
  'rc',
  'stdout',
  'stderr',
  'stdout_lines',
  'results',
  'protects',
  'restore',
  'keep',
  'way_back',
] as const;

export function buildResult(
  status: StepStatus,
  reason: string,
  outcomes: ActionOutcome[],
  data: Record<string, unknown> = {},
  marks: Pick<StepPlan, 'protects' | 'restore' | 'keep' | 'wayBack'> = {},
): StepResult {
  const last = outcomes[outcomes.length - 1];
  const stdout = last?.stdout ?? '';
  return {
    ...data,
    ...(marks.protects ? { protects: marks.protects } : {}),
    ...(marks.restore ? { restore: marks.restore } : {}),
    ...(marks.keep?.length ? { keep: marks.keep } : {}),
    ...(marks.wayBack ? { way_back: marks.wayBack } : {}),
    status,
    changed: status === 'changed',
    failed: status === 'failed',
    skipped: status === 'skipped',
    reason,
    rc: last?.exitCode ?? 0,
    stdout,
    stderr: last?.stderr ?? '',
    stdout_lines: stdout === '' ? [] : stdout.split('\n'),
    results: outcomes,
  };
}
