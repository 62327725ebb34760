import type { ExecResult } from '../../exec/exec-result.js';

/** kubectl's words when discovery has no such kind (no CRD for it): so no object of it exists either. */
export function kindNotServed(result: ExecResult): boolean {
  return result.exitCode !== 0 && /doesn't have a resource type/.test(result.stderr);
}
