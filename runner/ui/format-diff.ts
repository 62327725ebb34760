import type { ChalkInstance } from 'chalk';
import type { FileDiff } from '../plugin-contract/contract.js';
import type { DiffFiles } from './diff-files.js';
import { presentDiff, type DiffDetail } from './present-diff.js';

export { unifiedDiff } from './format-diff-text.js';

export interface DiffPresentation {
  detail: DiffDetail;
  files?: DiffFiles | undefined;
  /** Names the file a long diff is kept in: the step's position and the diff's path. */
  label: string;
}

/** A diff for a person: coloured, summarised when long (a whole cluster's manifests), in full with `--diff full`. */
export function formatDiff(
  diff: FileDiff,
  colors: ChalkInstance,
  indent: string,
  presentation: DiffPresentation = { detail: 'summary', label: diff.path },
): string {
  const shown = presentDiff(diff, presentation.detail, presentation.files, presentation.label).map((line) => {
    if (line.startsWith('+')) return colors.green(line);
    if (line.startsWith('-')) return colors.red(line);
    if (line.startsWith('@@')) return colors.cyan(line);
    return colors.dim(line);
  });
  return shown.map((line) => `${indent}${line}`).join('\n');
}
