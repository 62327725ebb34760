import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One call the simulated cloud answered: what terraform created or deleted there. */
export interface CloudOperation {
  op: 'create' | 'delete';
  kind: string;
  id: string;
  name?: string;
  address?: string;
  at: string;
}

/** The cloud's own record, in the sandbox's state folder: a witness of what terraform did, independent of terraform's state. */
export const ledgerFile = 'cloud.jsonl';

export function recordCloudOperation(stateDir: string, operation: Omit<CloudOperation, 'at'>): void {
  appendFileSync(join(stateDir, ledgerFile), `${JSON.stringify({ ...operation, at: new Date().toISOString() })}\n`);
}

export function cloudOperations(stateDir: string): CloudOperation[] {
  let text: string;
  try {
    text = readFileSync(join(stateDir, ledgerFile), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as CloudOperation];
      } catch {
        // A line cut short by a kill: the call did not complete.
        return [];
      }
    });
}
