import { describeFsError } from '../input/fs-error.js';

const elsewhere = 'or set state_dir in the inventory to a folder it may write';

/** What to do about each way the runner's own folders (state, journal, backups) can refuse a write. */
const remedies: Record<string, string> = {
  EACCES: `give the runner's user write permission there, ${elsewhere}`,
  EPERM: `give the runner's user write permission there, ${elsewhere}`,
  EROFS: `set state_dir in the inventory to a folder on a writable file system`,
  ENOSPC: 'free some space on that disk, then run again (--resume continues an interrupted run)',
  EDQUOT: 'free some of your quota, then run again (--resume continues an interrupted run)',
  ENOTDIR: `a file stands where a folder should be: move it away, ${elsewhere}`,
  EEXIST: `a file stands where a folder should be: move it away, ${elsewhere}`,
  EISDIR: `a folder stands where a file should be: move it away, ${elsewhere}`,
};

/**
 * One line naming the path and the remedy, for a file-system error the person running can fix; undefined
 * for any other error. A write to an open file names no path: the folder it was being written in stands for it.
 */
export function fileSystemProblem(error: unknown, folder?: string): string | undefined {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  const remedy = code ? remedies[code] : undefined;
  const where = path ?? (folder && `in ${folder}`);
  if (!remedy || !where) return undefined;
  return `cannot write ${where}: ${describeFsError(error)}; ${remedy}`;
}
