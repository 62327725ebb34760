import { maxRenderedChars, TemplateLimitError } from './template-limits.js';

/** Most steps one render may take (each node it evaluates is one): about a second of work at most. */
export const maxSteps = 5_000_000;

/** Most loop iterations one render may run, across every loop and however they nest. */
export const maxIterations = 1_000_000;

/** Most items one render may ask range() for: loops over data are bounded by the data, loops over range() by this. */
export const maxRangeItems = 10_000;

/** What one render may still spend, charged as it runs, so a template stops the moment it goes over. */
export class RenderBudget {
  private steps = maxSteps;
  private iterations = maxIterations;
  private rangeItems = maxRangeItems;

  step(): void {
    if ((this.steps -= 1) < 0) throw new TemplateLimitError(`the template takes more than ${maxSteps} steps to render`);
  }

  iteration(): void {
    if ((this.iterations -= 1) < 0)
      throw new TemplateLimitError(`the template's loops run more than ${maxIterations} times in all`);
  }

  range(count: number): void {
    if (!Number.isFinite(count) || count > this.rangeItems)
      throw new TemplateLimitError(
        `range() of ${count} items is more than a template may make (${maxRangeItems} in all)`,
      );
    this.rangeItems -= count;
  }

  /** A text about to be made `length` characters long: refused before it is made. */
  text(length: number): void {
    if (length > maxRenderedChars)
      throw new TemplateLimitError(`the rendered text would be ${length} characters; the limit is ${maxRenderedChars}`);
  }
}
