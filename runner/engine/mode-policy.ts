import type { RunMode } from '../events/run-event.js';

/** What a run may do in its mode: the one place the mode is looked at, so nothing else (plugins least of all) compares it. */
export interface ModePolicy {
  /** Probes may run processes (read-only); a dry run runs none. */
  probes: boolean;
  /** Plans are carried out: commands run, files are written, destructive steps are guarded. */
  applies: boolean;
  /** The site is locked and a killed run's tools are waited for. */
  locks: boolean;
  /** The simulated site is started (a dry run needs none). */
  startsSite: boolean;
  /** A run journal is kept and running tools are recorded, so the run can be resumed. */
  journals: boolean;
  /** Waits poll until their condition holds, and `until` retries; previews report what they would wait for. */
  polls: boolean;
  /** changed_when and failed_when are evaluated, which only mean something once actions really ran. */
  judgesResults: boolean;
  /** A change found is the exit status (2), as a check asks. */
  changesFail: boolean;
  /** What the output calls a command of a plan: "run" or "would run". */
  runVerb: string;
  /** What the recap adds after its counts. */
  recapNote: string;
  /** How the first line of the output names the mode. */
  label: string;
}

const policies: Record<RunMode, ModePolicy> = {
  apply: {
    probes: true,
    applies: true,
    locks: true,
    startsSite: true,
    journals: true,
    polls: true,
    judgesResults: true,
    changesFail: false,
    runVerb: 'run',
    recapNote: '',
    label: 'apply',
  },
  check: {
    probes: true,
    applies: false,
    locks: true,
    startsSite: true,
    journals: false,
    polls: false,
    judgesResults: false,
    changesFail: true,
    runVerb: 'would run',
    recapNote: ' (check: nothing was changed)',
    label: 'check (read-only probes, nothing changes)',
  },
  'dry-run': {
    probes: false,
    applies: false,
    locks: false,
    startsSite: false,
    journals: false,
    polls: false,
    judgesResults: false,
    changesFail: false,
    runVerb: 'would run',
    recapNote: ' (dry-run: nothing was changed)',
    label: 'dry run (nothing is run)',
  },
};

export function modePolicy(mode: RunMode): ModePolicy {
  return policies[mode];
}
