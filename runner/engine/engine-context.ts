import type { RunMode } from '../events/run-event.js';
import type { EventBus } from '../events/event-bus.js';
import type { ProcessRunner } from '../exec/exec-result.js';
import type { AnyPlugin, Destruction, WayBack, World } from '../plugin-contract/contract.js';
import type { StepRef, StepStatus } from '../events/run-event.js';
import type { StepResult } from './step-result.js';
import type { ScratchDir } from './scratch-dir.js';
import type { FileView } from './file-view.js';
import type { SecretMasker } from '../vars/secret-masker.js';

/** What the engine carries from step to step; plugins never see it. */
export interface EngineContext {
  mode: RunMode;
  plugins: ReadonlyMap<string, AnyPlugin>;
  vars: Readonly<Record<string, unknown>>;
  runner: ProcessRunner;
  files: FileView;
  /** Where tools write what a later action reads; without one, probes cannot ask for such a path. */
  scratch?: ScratchDir;
  bus: EventBus;
  /** Where plans register the secrets they discover, before any event can show them. */
  masker: SecretMasker;
  signal?: AbortSignal;
  sleep: (ms: number) => Promise<void>;
  /** Decides whether a destructive plan may run; without one (engine tests) nothing is guarded. */
  guard?: DestructionGuard;
  /** Told of every finished step, for the run journal. */
  onStepEnd?: (step: StepRef, status: StepStatus, result: StepResult) => void;
  /** How many processes the run has started so far, for the recap. */
  spawned?: () => number;
  /** Of those, the ones that only checked again whether an awaited condition holds yet. */
  recheckProcesses?: number;
  /** Where a failed tool's whole output is kept (the run journal), named when the failure shows only its end. */
  fullOutput?: string;
  /** The command that resumes this run, shown when it ends interrupted, failed or refused (runs with a journal). */
  /** The command line that runs a failed step's way back (its playbook, this site, its variables). */
  wayBackCommand?: (way: WayBack) => string;
  resumeCommand?: string;
  /** Said once the steps are over and before the recap, which is always the run's last event (the sandbox's summary). */
  beforeRecap?: () => void | Promise<void>;
  /** Steps a resumed run finished before: their status and registered result, by index. */
  resumed?: ReadonlyMap<number, { name: string; result: StepResult; runId: string }>;
}

/** What a run learns as it goes, which the engine keeps itself: callers give options only. */
export interface RunState {
  /** Results saved by `register:` so far. */
  registered: Record<string, unknown>;
  /** Registered names whose step would change something not yet applied (check, dry run), with that step's name. */
  pending: Map<string, string>;
  /** Whether an earlier step would have changed something that was not applied. */
  pendingChange: boolean;
  /** What those changes would have touched ('any' for a step whose plugin does not say). */
  pendingWorlds: Set<World | 'any'>;
}

/** The context each step runs in: the caller's options and the run's state so far. */
export type StepContext = EngineContext & RunState;

export interface DestructionGuard {
  /** Undefined when the destruction may go ahead; otherwise why it may not. */
  approve(destruction: Destruction, step: StepRef): Promise<string | undefined>;
  /** Undefined when JupyterHub may be installed into the namespace now; otherwise why not (a restore of its claims is pending). */
  approveDeploy(namespace: string): string | undefined;
  /** A step's result, which may carry a verified backup (`protects`) or a restore mark (`restore`). */
  observe(result: StepResult): void;
}
