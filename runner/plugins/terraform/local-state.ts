import type { ProbeIO } from '../../plugin-contract/contract.js';
import { PlanRefusal } from '../../plugin-contract/plan-error.js';
import { parseTfstate } from './tfstate.js';

/** What a state file holds, as far as a refusal needs to say. */
function describeState(text: string | undefined): { serial?: number; resources: number } | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const serial = (JSON.parse(text) as { serial?: number }).serial;
    return {
      ...(typeof serial === 'number' ? { serial } : {}),
      resources: parseTfstate(text).filter((instance) => instance.mode === 'managed').length,
    };
  } catch {
    return undefined;
  }
}

/**
 * Refuses to run terraform on a local state cut short: terraform's local backend truncates
 * `terraform.tfstate` before writing it, so a kill in between leaves it empty or half written, and
 * terraform then reads an empty file as "nothing exists" and would create everything again beside
 * what the cloud still has (a second floating IP included).
 */
export async function refuseCutShortState(dir: string | undefined, io: ProbeIO): Promise<void> {
  const folder = dir ?? '.';
  const path = `${folder}/terraform.tfstate`;
  const text = await io.readFile(path);
  if (text === undefined || describeState(text)) return;
  const backupPath = `${path}.backup`;
  const backup = describeState(await io.readFile(backupPath));
  // An empty file with nothing before it is how terraform itself reads it: no state yet.
  if (text.trim() === '' && (!backup || backup.resources === 0)) return;
  const what =
    text.trim() === ''
      ? `is empty (${text.length} bytes)`
      : `is cut short or not a terraform state (${text.length} bytes)`;
  const restore = backup
    ? `${backupPath} holds the state from before that terraform command (${backup.serial === undefined ? '' : `serial ${backup.serial}, `}${backup.resources} resource(s)). ` +
      `Put it back with \`cp ${backupPath} ${path}\` and run again (--resume): after a stopped destroy this is safe, as the destroy run again finds gone what it had already removed; ` +
      'after a stopped apply, resources it made since that backup are not in it and would be made a second time, so remove them from the cloud first'
    : `there is no ${backupPath} to go back to: rebuild the state from the cloud (terraform import) before running again`;
  throw new PlanRefusal(
    `${path} ${what}: terraform was stopped while writing it, and run now it would take the infrastructure for gone and create it again beside what the cloud still has. ${restore}; nothing was changed`,
  );
}
