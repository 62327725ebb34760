import type { ExecResult } from '../../exec/exec-result.js';
import type { ProbeIO } from '../../plugin-contract/contract.js';
import { PlanError } from '../../plugin-contract/plan-error.js';
import { openstackBatch } from './openstack-batch.js';

/** Runs a read-only openstack command with `-f json` and returns what it printed, or its error as the step's. */
export async function openstackJson(io: ProbeIO, argv: string[]): Promise<any> {
  return parseOpenstackJson(argv, await io.run(argv));
}

/** What a failed client said, with how to install it when it is not there. */
function clientSaid(result: ExecResult): string {
  const said = (result.stderr || result.stdout).trim();
  return /command not found/.test(said)
    ? `${said} (install the OpenStack client: Debian and Ubuntu package python3-openstackclient, or pip install python-openstackclient)`
    : said;
}

export function parseOpenstackJson(argv: readonly string[], result: ExecResult): any {
  const what = argv
    .filter((word) => !word.startsWith('-'))
    .slice(1, 3)
    .join(' ');
  if (result.exitCode !== 0) {
    throw new PlanError(`openstack ${what} failed: ${clientSaid(result)}`);
  }
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new PlanError(`openstack ${what} printed something that is not JSON: ${result.stdout.slice(0, 200)}`);
  }
}

/**
 * Several read-only openstack commands in one client process (its interactive mode, one start-up and
 * one token), each printing compact JSON on a line of its own; a command that fails prints no line,
 * and the step fails with what the client said.
 */
export async function openstackJsonBatch(
  io: ProbeIO,
  args: { binary?: string; cloud?: string },
  commands: string[][],
): Promise<any[]> {
  const batch = openstackBatch(
    args,
    commands.map((command) => [...command, '--format', 'json', '--noindent'].join(' ')),
  );
  const result = await io.run(batch.argv, { ...(batch.env ? { env: batch.env } : {}), input: batch.input ?? '' });
  const what = commands.map((command) => command.filter((word) => !word.startsWith('-')).join(' ')).join(', ');
  const lines = result.stdout.split('\n').filter((line) => /^[[{]/.test(line));
  if (result.exitCode !== 0 || lines.length !== commands.length) {
    throw new PlanError(
      `openstack (${what}) failed: ${clientSaid(result) || `it printed ${lines.length} of ${commands.length} answers`}`,
    );
  }
  return lines.map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      throw new PlanError(`openstack (${what}) printed something that is not JSON: ${line.slice(0, 200)}`);
    }
  });
}
