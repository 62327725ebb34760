import { InputError, type InputProblem } from '../load/input-error.js';
import { checkNames, cleanNunjucksMessage } from '../template/check-names.js';
import { evaluateCondition } from '../template/render.js';
import { TemplateError } from '../template/template-error.js';
import type { PluginStep } from './step.js';
import { stepTemplates } from './step-templates.js';

const resultConditions = new Set(['until', 'changed_when', 'failed_when']);

/** Stands for a result that exists only at run time: any key may be read from it. */
const anyShape: Record<string, unknown> = new Proxy({}, { has: () => true, get: () => anyShape });

/** A `when` that the inventory alone makes false: the step's arguments may name variables only other sites define. */
function whenIsFalse(step: PluginStep, vars: Readonly<Record<string, unknown>>): boolean {
  if (step.when === undefined) return false;
  try {
    return !evaluateCondition(step.when, vars);
  } catch {
    return false;
  }
}

/**
 * Before anything runs: every template parses, and every variable (and key of a variable) it reads
 * exists in the variable set or is registered by some step of the playbook.
 */
export function preflight(steps: readonly PluginStep[], allSteps: readonly PluginStep[], vars: Readonly<Record<string, unknown>>): void {
  const scope: Record<string, unknown> = { ...vars };
  for (const step of allSteps) if (step.register) scope[step.register] = anyShape;
  const withResult = { ...scope, result: anyShape };
  const names = () => Object.keys(withResult);
  const problems: InputProblem[] = [];
  for (const step of steps) {
    const skipped = whenIsFalse(step, vars);
    for (const template of stepTemplates(step)) {
      if (skipped && template.path[0] !== 'when') continue;
      try {
        checkNames(template.source, resultConditions.has(String(template.path[0])) ? withResult : scope, names);
      } catch (error) {
        const message = error instanceof TemplateError ? error.message : `invalid template: ${cleanNunjucksMessage(error)}`;
        problems.push({ location: step.locate(template.path), message, ...(error instanceof TemplateError && error.hint ? { hint: error.hint } : {}) });
      }
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}
