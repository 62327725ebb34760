import { createTwoFilesPatch } from 'diff';
import type { FileDiff } from '../plugin-contract/contract.js';

/** Above this many characters a line diff costs seconds and shows nobody anything useful. */
const largestDiffed = 2_000_000;

/** Above this many changed lines the line diff (Myers', quadratic in them) costs seconds: 8 s for 10,000 volumes set to Retain. */
const mostChangedLines = 2_000;

const omissionNote = '(not diffed line by line: ';

const lineCount = (text: string | undefined) => (text === undefined ? 'absent' : `${text.split('\n').length} lines`);

function omitted(diff: FileDiff, why: string): string {
  return `--- ${diff.path}\n+++ ${diff.path}\n${omissionNote}${why}; ${lineCount(diff.before)} before, ${lineCount(diff.after)} after)`;
}

/** Whether a unified diff is only the note that the file was too large, or changed too much, to diff line by line. */
export function isOmittedDiff(text: string): boolean {
  return text.split('\n', 3)[2]?.startsWith(omissionNote) ?? false;
}

export function unifiedDiff(diff: FileDiff): string {
  if (diff.patch !== undefined) return diff.patch.trimEnd();
  const size = (diff.before?.length ?? 0) + (diff.after?.length ?? 0);
  if (size > largestDiffed) return omitted(diff, 'too large');
  const patch = createTwoFilesPatch(
    diff.path,
    diff.path,
    diff.before ?? '',
    diff.after ?? '',
    diff.before === undefined ? '(absent)' : 'current',
    'planned',
    { context: 3, maxEditLength: mostChangedLines },
  );
  if (patch === undefined) return omitted(diff, `more than ${mostChangedLines} lines changed`);
  return patch.split('\n').slice(2).join('\n').trimEnd();
}
