import { createColors } from '../ui/colors.js';
import { formatProblem, type InputError } from '../input/input-error.js';

/** More problems than a person reads: the rest are counted. */
const shownProblems = 100;

/** Prints each located problem on its own line; never a stack trace. */
export function reportInputError(
  error: InputError,
  stderr: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv,
  color = true,
): void {
  const colors = createColors(stderr, color, env);
  for (const problem of error.problems.slice(0, shownProblems))
    stderr.write(`${colors.red('error:')} ${formatProblem(problem)}\n`);
  if (error.problems.length > shownProblems)
    stderr.write(`${colors.red('error:')} … and ${error.problems.length - shownProblems} more problems like these\n`);
  stderr.write(`${colors.dim('nothing was run')}\n`);
}
