import type { ExecAction } from '../../plugin-contract/contract.js';
import { openstackHead } from '../tools/openstack-head.js';

/**
 * Many openstack commands as one process: the client's interactive mode reads them from standard
 * input and authenticates once, so a thousand snapshots cost one start-up and one token, not a
 * thousand. The cloud is named through OS_CLOUD, as the interactive mode takes no command-line words.
 */
export function openstackBatch(args: { binary?: string; cloud?: string }, commands: string[]): ExecAction {
  return {
    kind: 'exec',
    argv: openstackHead.argv(args.binary ? { binary: args.binary } : {}),
    ...(args.cloud ? { env: { OS_CLOUD: args.cloud } } : {}),
    input: commands.map((command) => `${command}\n`).join(''),
  };
}
