import { readFileSync } from 'node:fs';
import { parseTfstate, resourceValues } from '../../runner/plugins/terraform/tfstate.js';
import { cloudOperations } from '../../sandbox/cloud/cloud-ledger.js';

/** The site's floating IP as terraform's state holds it: its id and address. */
export function floatingIpOf(site: string): { id: string; address: string } | undefined {
  const instance = parseTfstate(readFileSync(`${site}/terraform/terraform.tfstate`, 'utf8')).find(
    (candidate) => resourceValues(candidate)['kind'] === 'floatingip',
  );
  return instance
    ? { id: String(instance.attributes['id']), address: String(resourceValues(instance)['address']) }
    : undefined;
}

/** What the simulated cloud itself recorded deleting, by kind: the witness a test checks, beside terraform's own state. */
export function cloudDeletions(site: string, kind: string): string[] {
  return cloudOperations(`${site}/.state`)
    .filter((operation) => operation.op === 'delete' && operation.kind === kind)
    .map((operation) => operation.id);
}
