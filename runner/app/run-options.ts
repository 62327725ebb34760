import type { RunMode } from '../events/run-event.js';
import type { DiffDetail } from '../ui/present-diff.js';

export interface RunOptions {
  playbook: string;
  inventories: string[];
  extraVars: string[];
  mode: RunMode;
  tags: string[];
  skipTags: string[];
  startAt?: string;
  listSteps: boolean;
  json: boolean;
  color: boolean;
  /** Confirms destructive steps without a prompt. */
  yes: boolean;
  /** A backup folder (pvc.json and pv.json, or the seed's pvc.yaml and pv.yaml) that covers destructive steps of this run. */
  backups: string[];
  /** Continue the newest unfinished run of this playbook. */
  resume: boolean;
  /** With resume: this run's -e and -i on top of the ones the run was started with, instead of refused. */
  override?: boolean;
  /** Print every line the tools print, as they print it. */
  verbose?: boolean;
  /** How diffs are printed: sized for a person (default), or every line. */
  diff?: DiffDetail;
}
