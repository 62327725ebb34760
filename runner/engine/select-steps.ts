import { InputError } from '../input/input-error.js';
import { didYouMeanHint, didYouMeanPhrase } from '../input/did-you-mean.js';
import type { PluginStep } from '../load/plugin-step.js';

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
        hint: startAtHint(selection.startAt, steps),
      });
    }
    chosen = chosen.slice(start);
  }
  checkTags(steps, selection);
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

function startAtHint(name: string, steps: readonly PluginStep[]): string {
  const closest = didYouMeanPhrase(
    name,
    steps.map((step) => step.name),
  );
  return closest ? `did you mean ${JSON.stringify(closest)}?` : `the steps are listed by --list-steps`;
}

/** A tag no step has would select nothing (or skip nothing) and still exit 0: a typo, refused before anything runs. */
function checkTags(steps: readonly PluginStep[], selection: Selection): void {
  const known = knownTags(steps);
  const problems = [
    ...(selection.tags ?? []).map((tag) => ['--tags', tag] as const),
    ...(selection.skipTags ?? []).map((tag) => ['--skip-tags', tag] as const),
  ]
    .filter(([, tag]) => tag !== 'always' && !known.includes(tag))
    .map(([option, tag]) => ({
      message: `${option}: no step has the tag ${JSON.stringify(tag)}`,
      hint:
        didYouMeanHint(tag, known) ??
        (known.length ? `the tags are: ${known.join(', ')}` : 'no step of this playbook has a tag'),
    }));
  if (problems.length) throw new InputError(problems);
}
