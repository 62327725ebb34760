import { captureExpression, isTemplate, renderTemplate } from './environment.js';
import { checkNames, cleanNunjucksMessage, type TemplateContext } from './check-names.js';
import { TemplateError } from './template-error.js';
import { evaluateSimpleExpression, renderSimpleTemplate } from './simple-template.js';
import { isRefusal } from './template-refusal.js';
import type { PathSegment } from '../input/yaml-source.js';

const wholeExpression = /^\{\{\s*((?:(?!\{\{|\}\})[\s\S])+?)\s*\}\}$/;

function contextNames(context: TemplateContext): Iterable<string> {
  const names: string[] = [];
  for (const key in context) names.push(key);
  return names;
}

/** Evaluates one expression and keeps its native type (a list stays a list). */
export function evaluateExpression(expression: string, context: TemplateContext, checkKeys = true): unknown {
  const simple = evaluateSimpleExpression(expression, context);
  if (simple) return simple.value;
  checkNames(`{{ ${expression} }}`, context, () => contextNames(context), checkKeys);
  try {
    return captureExpression(expression, context);
  } catch (error) {
    throw new TemplateError(
      `cannot evaluate '${expression}': ${cleanNunjucksMessage(error)}`,
      undefined,
      undefined,
      isRefusal(error),
    );
  }
}

/** Renders a string; a string that is exactly one `{{ expression }}` yields the expression's native value. */
export function renderString(source: string, context: TemplateContext): unknown {
  if (!isTemplate(source)) return source;
  const simple = renderSimpleTemplate(source, context);
  if (simple) return simple.value;
  const whole = wholeExpression.exec(source);
  if (whole) return evaluateExpression(whole[1]!, context);
  checkNames(source, context, () => contextNames(context));
  try {
    return renderTemplate(source, context);
  } catch (error) {
    throw new TemplateError(
      `cannot render '${source}': ${cleanNunjucksMessage(error)}`,
      undefined,
      undefined,
      isRefusal(error),
    );
  }
}

/** Renders a whole template text (a file's content) to text; errors say where in the text. */
export function renderText(source: string, context: TemplateContext): string {
  checkNames(source, context, () => contextNames(context));
  try {
    return renderTemplate(source, context);
  } catch (error) {
    const match = /\[Line (\d+), Column (\d+)\]/.exec(String((error as Error).message));
    const position =
      error instanceof TemplateError
        ? error.position
        : match
          ? { line: Number(match[1]), col: Number(match[2]) }
          : undefined;
    throw new TemplateError(cleanNunjucksMessage(error), undefined, position, isRefusal(error));
  }
}

/** Renders every string inside a value; errors carry the path of the string that failed. */
export function renderDeep(value: unknown, context: TemplateContext, path: PathSegment[] = []): unknown {
  if (typeof value === 'string') {
    try {
      return renderString(value, context);
    } catch (error) {
      if (error instanceof TemplateError) throw new RenderError(error, path);
      throw error;
    }
  }
  if (Array.isArray(value)) return value.map((item, index) => renderDeep(item, context, [...path, index]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = renderDeep(item, context, [...path, key]);
    return out;
  }
  return value;
}

export class RenderError extends TemplateError {
  constructor(
    override readonly cause: TemplateError,
    readonly path: PathSegment[],
  ) {
    super(cause.message, cause.hint, cause.position, cause.refusal);
    this.name = 'RenderError';
  }
}

/** Truthiness as playbook authors expect from Jinja: empty lists, maps and strings are false. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  if (typeof value === 'string') return value.length > 0 && value.toLowerCase() !== 'false';
  return Boolean(value);
}

/** `checkKeys: false` suits conditions over observed data, where a missing key just means "not yet". */
export function evaluateCondition(condition: string | boolean, context: TemplateContext, checkKeys = true): boolean {
  if (typeof condition === 'boolean') return condition;
  const bare = wholeExpression.exec(condition.trim());
  return isTruthy(evaluateExpression(bare ? bare[1]! : condition, context, checkKeys));
}
