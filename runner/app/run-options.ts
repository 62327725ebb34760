import type { RunMode } from '../events/run-event.js';

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
}
