import type { ChangeKind, FileDiff } from '../plugin-contract/contract.js';

export type RunMode = 'apply' | 'check' | 'dry-run';
export type StepStatus = 'ok' | 'changed' | 'skipped' | 'failed' | 'unknown';

/** An action as a person may see it: argv with secrets masked, stdin and file contents reduced to sizes. */
export type DisplayAction =
  | { kind: 'exec'; argv: string[]; cwd?: string; stdinBytes?: number }
  | { kind: 'write'; path: string; bytes: number; mode?: string };

export interface StepRef {
  index: number;
  name: string;
  plugin: string;
}

export interface RecapStep {
  name: string;
  status: StepStatus;
  durationMs: number;
}

export interface RecapEvent {
  type: 'recap';
  ok: number;
  changed: number;
  skipped: number;
  failed: number;
  unknown: number;
  interrupted: boolean;
  /** A safety guard refused a destructive step (exit 4). */
  refused?: boolean;
  /** Processes the runner started (probes and actions): the same for 10 users as for 5,000. */
  processes?: number;
  /** Of those, re-checks while waiting (a rollout, claims binding): they depend on time, not on size. */
  recheckProcesses?: number;
  /** The failed step's way back to how things were before it: the command, and where it goes back to. */
  wayBack?: { command: string; to: string };
  /** The exact command that continues this run, when it ended before its last step. */
  resume?: string;
  durationMs: number;
  steps: RecapStep[];
  /** What the run's steps left to keep (the snapshots they made), each in a line. */
  kept?: string[];
}

/** Everything a run tells the outside world; renderers only listen to these. */
export type RunEvent =
  | {
      type: 'run:start';
      playbook: string;
      name: string;
      site: string;
      simulated: boolean;
      mode: RunMode;
      steps: StepRef[];
      confirm?: (StepRef & { what: string })[];
    }
  | ({ type: 'step:start' } & StepRef)
  | ({
      type: 'step:plan';
      change: ChangeKind;
      reason: string;
      actions: DisplayAction[];
      diffs: FileDiff[];
      warnings?: string[];
      details?: string[];
    } & StepRef)
  | ({ type: 'step:retry'; attempt: number; attempts: number; delaySeconds: number; reason: string } & StepRef)
  /** Lines a step's tool printed while it runs (Kubespray's current task, terraform's current resource). */
  | ({ type: 'step:output'; lines: string[] } & StepRef)
  | ({
      type: 'step:end';
      status: StepStatus;
      reason: string;
      durationMs: number;
      error?: string;
      location?: string;
      refused?: boolean;
    } & StepRef)
  | RecapEvent
  /** What the simulated site holds after the run: cloud, cluster, volumes, claims, releases. */
  | { type: 'site:summary'; lines: string[] };

export type EventListener = (event: RunEvent) => void;
