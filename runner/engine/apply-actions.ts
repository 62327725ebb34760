import { FileExistsError, writeFileAtomic } from '../exec/atomic-write.js';
import type { ProcessRunner } from '../exec/exec-result.js';
import type { Action } from '../plugin-contract/contract.js';
import type { ActionOutcome } from './step-result.js';
import { describeFsError } from '../input/fs-error.js';

export class ActionFailed extends Error {
  constructor(
    message: string,
    readonly outcomes: ActionOutcome[],
  ) {
    super(message);
    this.name = 'ActionFailed';
  }
}

function firstLines(text: string, count: number): string {
  const lines = text.trim().split('\n');
  return lines.length > count
    ? `${lines.slice(0, count).join('\n')}\n… (${lines.length - count} more lines)`
    : lines.join('\n');
}

/** Runs a plan's actions in order and stops at the first that fails. */
export async function applyActions(
  actions: readonly Action[],
  runner: ProcessRunner,
  signal?: AbortSignal,
): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  for (const action of actions) {
    signal?.throwIfAborted();
    if (action.kind === 'write') {
      try {
        await writeFileAtomic(action.path, action.content, action.mode, { noClobber: action.noClobber ?? false });
      } catch (error) {
        if (error instanceof FileExistsError) throw new ActionFailed(error.message, outcomes);
        // A full disk or a read-only folder fails the step that writes there, saying so; the file is left as it was.
        if ((error as NodeJS.ErrnoException).code)
          throw new ActionFailed(`cannot write ${action.path}: ${describeFsError(error)}`, outcomes);
        throw error;
      }
      outcomes.push({ argv: [], exitCode: 0, stdout: '', stderr: '' });
      continue;
    }
    const result = await runner.run(
      {
        argv: action.argv,
        ...(action.cwd ? { cwd: action.cwd } : {}),
        ...(action.env ? { env: action.env } : {}),
        ...(action.input !== undefined ? { input: action.input } : {}),
      },
      signal,
    );
    signal?.throwIfAborted();
    outcomes.push({ argv: action.argv, ...result });
    const ok = result.exitCode === 0 || (action.okExitCodes ?? []).includes(result.exitCode);
    if (!ok) {
      const detail = firstLines(result.stderr || result.stdout, 20);
      throw new ActionFailed(
        `${action.argv[0]} exited with code ${result.exitCode}${detail ? `: ${detail}` : ''}`,
        outcomes,
      );
    }
  }
  return outcomes;
}
