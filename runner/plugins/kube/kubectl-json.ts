import type { ExecResult } from '../../exec/exec-result.js';
import type { ProbeIO } from '../../plugin-contract/contract.js';
import { PlanError } from '../../plugin-contract/plan-error.js';

/** Runs a read-only kubectl command that prints JSON; an empty answer (`--ignore-not-found`) is undefined. */
export async function kubectlJson(io: ProbeIO, argv: string[]): Promise<any> {
  return parseKubectlJson(argv, await io.run(argv));
}

/** What kubectl printed as JSON, or its error as the step's. */
export function parseKubectlJson(argv: readonly string[], result: ExecResult): any {
  const verb = argv.find((word) => ['get', 'patch', 'wait', 'delete'].includes(word)) ?? argv[0];
  if (result.exitCode !== 0) throw new PlanError(`kubectl ${verb} failed: ${(result.stderr || result.stdout).trim()}`);
  if (result.stdout.trim() === '') return undefined;
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new PlanError(`kubectl printed something that is not JSON: ${result.stdout.slice(0, 200)}`);
  }
}
