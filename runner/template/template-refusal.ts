/**
 * A template refused for what it tries, not for the data it met: reaching into JavaScript, calling a
 * function, or making more than the limits allow. Such a template is wrong whatever the values are,
 * so a trial render with stand-in values can report it before anything runs.
 */
export class TemplateRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRefusal';
  }
}

/** Whether an error, or one it wraps (nunjucks wraps what its runtime throws), is a refusal. */
export function isRefusal(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    current && depth < 8;
    current = (current as { cause?: unknown }).cause, depth += 1
  ) {
    if (current instanceof TemplateRefusal || (current as { refusal?: boolean }).refusal === true) return true;
  }
  return false;
}
