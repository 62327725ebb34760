/** A plan that cannot be made from the facts (a missing input file, an unparsable tool output). */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}
