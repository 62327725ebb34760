import { createColors } from '../ui/colors.js';
import { formatProblem, type InputError } from '../load/input-error.js';

/** Prints each located problem on its own line; never a stack trace. */
export function reportInputError(error: InputError, stderr: NodeJS.WriteStream, env: NodeJS.ProcessEnv, color = true): void {
  const colors = createColors(stderr, color, env);
  for (const problem of error.problems) stderr.write(`${colors.red('error:')} ${formatProblem(problem)}\n`);
  stderr.write(`${colors.dim('nothing was run')}\n`);
}
