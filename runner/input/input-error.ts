import { formatLocation, type SourceLocation } from './source-location.js';

/** A problem with what the user wrote: reported with its position, never with a stack trace. */
export interface InputProblem {
  location?: SourceLocation;
  message: string;
  hint?: string;
}

export class InputError extends Error {
  readonly problems: InputProblem[];

  constructor(problems: InputProblem[] | InputProblem) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}

export function formatProblem(problem: InputProblem): string {
  const where = formatLocation(problem.location);
  const head = where ? `${where}: ${problem.message}` : problem.message;
  return problem.hint ? `${head} (${problem.hint})` : head;
}
