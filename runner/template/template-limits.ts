import { TemplateRefusal } from './template-refusal.js';

/** Longest text a template may render to, and a filter may make (16 MiB): a bigger one is a mistake or an attack. */
export const maxRenderedChars = 16 * 1024 * 1024;

/** Widest a filter may pad or wrap (center, indent, truncate, wordwrap, batch). */
export const maxFilterWidth = 10_000;

/** A template that would make more than the limits allow: an input error, reported before anything runs. */
export class TemplateLimitError extends TemplateRefusal {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateLimitError';
  }
}

export function checkRenderedSize(text: unknown): void {
  if (typeof text === 'string' && text.length > maxRenderedChars)
    throw new TemplateLimitError(`the rendered text is ${text.length} characters; the limit is ${maxRenderedChars}`);
}
