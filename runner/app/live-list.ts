import type { ExecRequest, ExecResult } from '../exec/exec-result.js';
import { unreachableCluster } from '../plugins/kube/unreachable-cluster.js';

export type Run = (request: ExecRequest) => Promise<ExecResult>;

/** The items `kubectl get -o json` lists now; `unreachable` when no cluster answers, a message when kubectl failed otherwise. */
export async function liveList<T>(run: Run, argv: string[]): Promise<T[] | { unreachable: string } | string> {
  const result = await run({ argv });
  if (result.exitCode !== 0) {
    const unreachable = unreachableCluster(result.stderr);
    return unreachable ? { unreachable } : `${argv.join(' ')} failed: ${(result.stderr || result.stdout).trim()}`;
  }
  return ((JSON.parse(result.stdout || '{}') as { items?: T[] }).items ?? []) as T[];
}
