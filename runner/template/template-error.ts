/** A template that cannot render; the caller knows where it was written and adds the position. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** Where in the template text, when it is known. */
    readonly position?: { line: number; col: number },
    /** Refused for what the template tries (see TemplateRefusal), whatever the values. */
    readonly refusal = false,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}
