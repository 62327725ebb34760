import type { FileDiff } from '../plugin-contract/contract.js';
import type { DiffFiles } from './diff-files.js';
import { stripBookkeeping } from './diff-bookkeeping.js';
import { listDiffSummary } from './list-diff-summary.js';
import { isOmittedDiff, unifiedDiff } from './format-diff-text.js';

/** `summary` (the default) is sized for a person; `full` (`--diff full`) prints every line, bookkeeping too. */
export type DiffDetail = 'summary' | 'full';

/** A diff longer than this is cut to its first lines, and kept in full in a file the output names. */
export const shownDiffLines = 40;

const changedLines = (lines: readonly string[]) => {
  const added = lines.filter((line) => line.startsWith('+') && !line.startsWith('+++')).length;
  const removed = lines.filter((line) => line.startsWith('-') && !line.startsWith('---')).length;
  return `+${added} −${removed} lines`;
};

/** The lines to print for a diff (uncoloured): the unified diff, or for a person a summary of a long one and where it is kept in full. */
export function presentDiff(diff: FileDiff, detail: DiffDetail, files: DiffFiles | undefined, label: string): string[] {
  const full = unifiedDiff(diff);
  if (detail === 'full') return full.split('\n');
  const summary = listDiffSummary(diff);
  // Nothing to keep in a file or count: what changed is the summary's to say, the note says why there is no more.
  if (isOmittedDiff(full)) return [...(summary ?? []), ...full.split('\n').slice(2)];
  const lines = stripBookkeeping(full).split('\n');
  if (!summary && lines.length <= shownDiffLines) return lines;
  const saved = files?.save(label, full);
  const where = saved ? `full diff: ${saved}` : 'rerun with --diff full to see all of it';
  if (summary) return [...summary, `(${changedLines(lines)}; ${where})`];
  return [
    ...lines.slice(0, shownDiffLines - 10),
    `… ${lines.length - (shownDiffLines - 10)} more diff lines (${changedLines(lines)} in all; ${where})`,
  ];
}
