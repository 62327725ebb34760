import { readFileSync } from 'node:fs';

/**
 * When the process started, in the kernel's clock ticks since boot (field 22 of /proc/<pid>/stat):
 * with the pid it names one process for good, so a pid reused by another program is not taken for it.
 * Undefined where /proc is not there.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process is still there (a zombie counts as gone) and, when a start time was recorded, is the same one. */
export function processAlive(pid: number, startTime?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let state: string | undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return startTime === undefined;
  }
  if (state === 'Z' || state === 'X') return false;
  return startTime === undefined || processStartTime(pid) === startTime;
}
