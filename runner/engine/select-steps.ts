import { InputError } from '../load/input-error.js';
import { didYouMeanHint } from '../schema/did-you-mean.js';
import type { PluginStep } from './step.js';

export interface Selection {
  tags?: string[];
  skipTags?: string[];
  startAt?: string;
}

/** `--start-at` first, then tags: a step runs if it has a requested tag (or `always`) and no skipped one. */
export function selectSteps(steps: readonly PluginStep[], selection: Selection): PluginStep[] {
  let chosen = [...steps];
  if (selection.startAt !== undefined) {
    const start = chosen.findIndex((step) => step.name === selection.startAt);
    if (start < 0) {
      throw new InputError({
        message: `--start-at: no step is named ${JSON.stringify(selection.startAt)}`,
        hint: didYouMeanHint(selection.startAt, steps.map((step) => step.name)),
      });
    }
    chosen = chosen.slice(start);
  }
  const wanted = new Set(selection.tags ?? []);
  const skipped = new Set(selection.skipTags ?? []);
  return chosen.filter((step) => {
    const tags = step.tags ?? [];
    if (tags.some((tag) => skipped.has(tag))) return false;
    if (wanted.size === 0) return true;
    return tags.includes('always') || tags.some((tag) => wanted.has(tag));
  });
}

export function knownTags(steps: readonly PluginStep[]): string[] {
  return [...new Set(steps.flatMap((step) => step.tags ?? []))].sort();
}
