import { createTwoFilesPatch } from 'diff';
import type { FileDiff } from '../plugin-contract/contract.js';

/** Above this many characters a line diff costs seconds and shows nobody anything useful. */
const largestDiffed = 2_000_000;

export function unifiedDiff(diff: FileDiff): string {
  if (diff.patch !== undefined) return diff.patch.trimEnd();
  const size = (diff.before?.length ?? 0) + (diff.after?.length ?? 0);
  if (size > largestDiffed) {
    const lines = (text: string | undefined) => (text === undefined ? 'absent' : `${text.split('\n').length} lines`);
    return `--- ${diff.path}\n+++ ${diff.path}\n(too large to diff here: ${lines(diff.before)} before, ${lines(diff.after)} after)`;
  }
  const patch = createTwoFilesPatch(
    diff.path,
    diff.path,
    diff.before ?? '',
    diff.after ?? '',
    diff.before === undefined ? '(absent)' : 'current',
    'planned',
    { context: 3 },
  );
  return patch.split('\n').slice(2).join('\n').trimEnd();
}
