import { FileExistsError, writeFileAtomic } from '../exec/atomic-write.js';
import type { ProcessRunner } from '../exec/exec-result.js';
import type { Action } from '../plugin-contract/contract.js';
import type { ActionOutcome } from './step-result.js';
import { describeFsError } from '../input/fs-error.js';

export class ActionFailed extends Error {
  constructor(
    message: string,
    readonly outcomes: ActionOutcome[],
    /** Said after the step's own explanation of the failure: the end of stdout when stderr led, and where the whole output is. */
    readonly more = '',
  ) {
    super(message);
    this.name = 'ActionFailed';
  }
}

/** How many of a failed tool's last lines are shown, of each stream: Ansible and terraform say what went wrong at the end. */
const shownLines = 20;

/** The last `count` lines of a tool's output, saying how many came before. */
function lastLines(text: string, count: number): { text: string; cut: boolean } {
  const lines = text.trim().split('\n');
  return lines.length > count
    ? { text: `… (${lines.length - count} lines before)\n${lines.slice(-count).join('\n')}`, cut: true }
    : { text: lines.join('\n'), cut: false };
}

/**
 * What a failed tool said: the end of stderr (else of stdout) after the exit code; when both have
 * something, the end of stdout comes after, where Ansible and Kubespray print what failed.
 */
function failureDetail(
  result: { stdout: string; stderr: string },
  fullOutput: string | undefined,
): { head: string; more: string } {
  const [stderr, stdout] = [result.stderr, result.stdout].map((text) =>
    text.trim() === '' ? undefined : lastLines(text, shownLines),
  );
  const lead = stderr ?? stdout;
  const after = stderr && stdout ? `\nits standard output ended with:\n${stdout.text}` : '';
  const cut = (stderr?.cut || stdout?.cut) && fullOutput ? `\n(the whole output is in ${fullOutput})` : '';
  return { head: lead ? `: ${lead.text}` : '', more: `${after}${cut}` };
}

type ExecOf = Extract<Action, { kind: 'exec' }>;

async function runExec(
  action: ExecOf,
  runner: ProcessRunner,
  signal?: AbortSignal,
  onLines?: (lines: string[]) => void,
): Promise<ActionOutcome> {
  const result = await runner.run(
    {
      argv: action.argv,
      ...(action.cwd ? { cwd: action.cwd } : {}),
      ...(action.env ? { env: action.env } : {}),
      ...(action.input !== undefined ? { input: action.input } : {}),
      ...(onLines ? { onLines } : {}),
    },
    signal,
  );
  return { argv: action.argv, ...result };
}

function failed(
  action: ExecOf,
  outcome: ActionOutcome,
  outcomes: ActionOutcome[],
  fullOutput?: string,
): ActionFailed | undefined {
  if (outcome.exitCode === 0 || (action.okExitCodes ?? []).includes(outcome.exitCode)) return undefined;
  const detail = failureDetail(outcome, fullOutput);
  return new ActionFailed(
    `${action.argv[0]} exited with code ${outcome.exitCode}${detail.head}`,
    outcomes,
    detail.more,
  );
}

/** Independent commands, at most `concurrency` at a time; every one runs to its end, then the first failure, in plan order, fails the step. */
async function applyConcurrently(
  actions: readonly ExecOf[],
  concurrency: number,
  runner: ProcessRunner,
  signal?: AbortSignal,
  fullOutput?: string,
  onLines?: (lines: string[]) => void,
): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = new Array(actions.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < actions.length; index = next++) {
      signal?.throwIfAborted();
      outcomes[index] = await runExec(actions[index]!, runner, signal, onLines);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, actions.length) }, worker));
  signal?.throwIfAborted();
  for (const [index, action] of actions.entries()) {
    const failure = failed(action, outcomes[index]!, outcomes.slice(0, index + 1), fullOutput);
    if (failure) throw failure;
  }
  return outcomes;
}

/** Runs a plan's actions in order and stops at the first that fails; commands the plan says are independent run side by side. */
export async function applyActions(
  actions: readonly Action[],
  runner: ProcessRunner,
  signal?: AbortSignal,
  fullOutput?: string,
  onLines?: (lines: string[]) => void,
  concurrency = 1,
): Promise<ActionOutcome[]> {
  if (concurrency > 1 && actions.every((action) => action.kind === 'exec'))
    return applyConcurrently(actions as ExecOf[], concurrency, runner, signal, fullOutput, onLines);
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
    const outcome = await runExec(action, runner, signal, onLines);
    signal?.throwIfAborted();
    outcomes.push(outcome);
    const failure = failed(action, outcome, outcomes, fullOutput);
    if (failure) throw failure;
  }
  return outcomes;
}
