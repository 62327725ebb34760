import type { ExecResult } from '../../exec/exec-result.js';
import type { ProbeIO } from '../../plugin-contract/contract.js';
import { PlanError } from '../../plugin-contract/plan-error.js';

/** Runs a read-only openstack command with `-f json` and returns what it printed, or its error as the step's. */
export async function openstackJson(io: ProbeIO, argv: string[]): Promise<any> {
  return parseOpenstackJson(argv, await io.run(argv));
}

export function parseOpenstackJson(argv: readonly string[], result: ExecResult): any {
  const what = argv
    .filter((word) => !word.startsWith('-'))
    .slice(1, 3)
    .join(' ');
  if (result.exitCode !== 0) {
    const said = (result.stderr || result.stdout).trim();
    const install = /command not found/.test(said)
      ? ' (install the OpenStack client: Debian and Ubuntu package python3-openstackclient, or pip install python-openstackclient)'
      : '';
    throw new PlanError(`openstack ${what} failed: ${said}${install}`);
  }
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new PlanError(`openstack ${what} printed something that is not JSON: ${result.stdout.slice(0, 200)}`);
  }
}
