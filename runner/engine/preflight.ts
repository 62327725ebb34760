import { InputError, type InputProblem } from '../load/input-error.js';
import { checkNames, cleanNunjucksMessage } from '../template/check-names.js';
import { evaluateCondition, renderDeep } from '../template/render.js';
import { referencedNames } from '../template/template-names.js';
import type { AnyPlugin, StepEffects } from '../plugins/contract.js';
import { validateRenderedArgs } from '../schema/validate-args.js';
import { fillFromVars } from './run-step.js';
import { TemplateError } from '../template/template-error.js';
import type { PluginStep } from './step.js';
import { stepTemplates } from './step-templates.js';

const resultConditions = new Set(['until', 'changed_when', 'failed_when']);

/** Stands for a result that exists only at run time: any key may be read from it. */
const anyShape: Record<string, unknown> = new Proxy({}, { has: () => true, get: () => anyShape });

/** A `when` that the inventory alone makes false: the step's arguments may name variables only other sites define. */
export function whenIsFalse(step: PluginStep, vars: Readonly<Record<string, unknown>>): boolean {
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
/**
 * A step whose arguments read only variables can be rendered and checked now, so a bad value from
 * the inventory or -e (a namespace with a space, a malformed timeout) stops the run before any step.
 */
function renderedArgProblems(step: PluginStep, plugin: AnyPlugin | undefined, vars: Readonly<Record<string, unknown>>, registered: ReadonlySet<string>): InputProblem[] {
  if (!plugin) return [];
  const args = argsFromVariables(step, plugin, vars, registered);
  if (args === undefined) return [];
  return validateRenderedArgs(plugin, args, (path, target) => step.locate([step.plugin, ...path], target));
}

/** The step's arguments, rendered, when they read only variables (not what earlier steps register); undefined otherwise. */
export function argsFromVariables(step: PluginStep, plugin: AnyPlugin, vars: Readonly<Record<string, unknown>>, registered: ReadonlySet<string>): unknown {
  const readsResults = stepTemplates(step).some((template) => {
    if (template.path[0] !== step.plugin) return false;
    try {
      return referencedNames(template.source).some((reference) => registered.has(reference.path[0]!) || reference.path[0] === 'result');
    } catch {
      return true;
    }
  });
  if (readsResults) return undefined;
  let args: unknown;
  try {
    args = renderDeep(step.args, vars as Record<string, unknown>);
  } catch {
    return undefined;
  }
  if (args && typeof args === 'object' && !Array.isArray(args)) args = fillFromVars(plugin, { ...(args as object) }, vars);
  return args;
}

/** What each step may do, from its arguments alone, for the steps whose arguments are known before the run (by index). */
export function knownEffects(steps: readonly PluginStep[], allSteps: readonly PluginStep[], vars: Readonly<Record<string, unknown>>, plugins: ReadonlyMap<string, AnyPlugin>): Map<number, StepEffects> {
  const registered = new Set(allSteps.flatMap((step) => (step.register ? [step.register] : [])));
  const effects = new Map<number, StepEffects>();
  for (const step of steps) {
    const plugin = plugins.get(step.plugin);
    if (!plugin?.effects) continue;
    const args = argsFromVariables(step, plugin, vars, registered);
    if (args === undefined || validateRenderedArgs(plugin, args, () => step.location).length > 0) continue;
    effects.set(step.index, plugin.effects(args));
  }
  return effects;
}

export function preflight(steps: readonly PluginStep[], allSteps: readonly PluginStep[], vars: Readonly<Record<string, unknown>>, plugins?: ReadonlyMap<string, AnyPlugin>): void {
  const scope: Record<string, unknown> = { ...vars };
  for (const step of allSteps) if (step.register) scope[step.register] = anyShape;
  const withResult = { ...scope, result: anyShape };
  const names = () => Object.keys(withResult);
  const problems: InputProblem[] = [];
  const registered = new Set(allSteps.flatMap((step) => (step.register ? [step.register] : [])));
  for (const step of steps) {
    const skipped = whenIsFalse(step, vars);
    const before = problems.length;
    for (const template of stepTemplates(step)) {
      if (skipped && template.path[0] !== 'when') continue;
      try {
        checkNames(template.source, resultConditions.has(String(template.path[0])) ? withResult : scope, names);
      } catch (error) {
        const message = error instanceof TemplateError ? error.message : `invalid template: ${cleanNunjucksMessage(error)}`;
        problems.push({ location: step.locate(template.path), message, ...(error instanceof TemplateError && error.hint ? { hint: error.hint } : {}) });
      }
    }
    if (!skipped && problems.length === before) {
      problems.push(...renderedArgProblems(step, plugins?.get(step.plugin), vars, registered).map((problem) => ({ ...problem, message: `${problem.message} (from the variables)` })));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}
