import type { ProbeIO } from '../../plugin-contract/contract.js';
import { PlanError } from '../../plugin-contract/plan-error.js';
import { parseShown } from './plan-json.js';
import { stateLockMessage } from './state-lock-error.js';

/** A plan terraform computed and saved: what `apply` of that file does, exactly, and nothing else. */
export interface SavedPlan {
  file: string;
  /** `terraform show -json` of the file. */
  json: Record<string, unknown>;
  /** What `plan` printed, for people. */
  text: string;
}

/**
 * `plan ... -out=FILE`, then `show -json FILE`; undefined when `-detailed-exitcode` says there is
 * nothing to do. The saved plan is what the step applies later, so what was checked is what runs.
 */
export async function savePlan(
  io: ProbeIO,
  base: readonly string[],
  planArgs: readonly string[],
  name: string,
  env: Record<string, string> | undefined,
  what: string,
): Promise<SavedPlan | undefined> {
  const file = io.scratchPath(name);
  const planned = await io.run([...base, 'plan', ...planArgs, `-out=${file}`], env ? { env } : {});
  if (planned.exitCode === 0 && planArgs.includes('-detailed-exitcode')) return undefined;
  if (planned.exitCode !== 0 && planned.exitCode !== 2)
    throw new PlanError(
      stateLockMessage(planned.stderr, base) ?? `${what} failed: ${(planned.stderr || planned.stdout).trim()}`,
    );
  const shown = await io.run([...base, 'show', '-json', '-no-color', file]);
  if (shown.exitCode !== 0)
    throw new PlanError(`terraform show -json of the saved plan failed: ${(shown.stderr || shown.stdout).trim()}`);
  try {
    return { file, json: parseShown(shown.stdout), text: planned.stdout };
  } catch (error) {
    throw new PlanError((error as Error).message);
  }
}

/** The action that applies a saved plan: no -auto-approve is needed, and no variable or target can change it. */
export function applySaved(base: readonly string[], file: string): { kind: 'exec'; argv: string[] } {
  return { kind: 'exec', argv: [...base, 'apply', '-input=false', '-no-color', file] };
}

/** How a preview names the saved plan before one exists. */
export const savedPlanPlaceholder = '<saved plan>';
