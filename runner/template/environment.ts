import { interpretExpression, interpretTemplate } from './interpreter.js';
import { RenderBudget } from './template-budget.js';
import { checkRenderedSize } from './template-limits.js';
import { parseTemplate, type TemplateNode } from './template-names.js';
import { checkTemplateRules } from './template-rules.js';
import { tracked } from './secret-taint.js';
import { TemplateError } from './template-error.js';

/** Renders a playbook string or a whole template text: parsed once per distinct text, never compiled to code. */
export function renderTemplate(source: string, context: Record<string, unknown>): string {
  checkTemplateRules(source);
  const text = tracked(() => interpretTemplate(parseTemplate(source), context, new RenderBudget()));
  checkRenderedSize(text);
  return text;
}

/** The one expression of `{{ (expression) }}`, or an error when the text closes the braces and opens others. */
function onlyExpression(expression: string): TemplateNode {
  const source = `{{ (${expression}) }}`;
  checkTemplateRules(source);
  const outputs = (parseTemplate(source)['children'] as TemplateNode[]) ?? [];
  const parts = outputs.length === 1 ? ((outputs[0]!['children'] as TemplateNode[] | undefined) ?? []) : [];
  if (outputs.length !== 1 || outputs[0]!.typename !== 'Output' || parts.length !== 1)
    throw new TemplateError(`'${expression}' is not one expression`);
  return parts[0]!;
}

/** Evaluates an expression to its native value (a list stays a list). */
export function captureExpression(expression: string, context: Record<string, unknown>): unknown {
  const node = onlyExpression(expression);
  return tracked(() => interpretExpression(node, context, new RenderBudget()));
}

export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

export { filterList, knownFilter } from './template-filters.js';
