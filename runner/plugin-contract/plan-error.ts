/** A plan that cannot be made from the facts (a missing input file, an unparsable tool output). */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/** A plan that must not go ahead because it would hurt users' data: the run stops, refused (exit 4), before this step writes anything. */
export class PlanRefusal extends PlanError {
  constructor(message: string) {
    super(message);
    this.name = 'PlanRefusal';
  }
}
