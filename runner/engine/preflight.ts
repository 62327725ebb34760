import { InputError, type InputProblem } from '../input/input-error.js';
import { checkNames, cleanNunjucksMessage } from '../template/check-names.js';
import { evaluateCondition, RenderError, renderString } from '../template/render.js';
import { isRefusal } from '../template/template-refusal.js';
import { reachesJavaScript } from '../template/template-values.js';
import { checkTemplateRules } from '../template/template-rules.js';
import { referencedNames } from '../template/template-names.js';
import type { AnyPlugin, StepEffects } from '../plugin-contract/contract.js';
import type { Locate } from '../schema/format-errors.js';
import { prepareArgs, type PreparedArgs } from './prepare-args.js';
import { TemplateError } from '../template/template-error.js';
import type { PluginStep } from '../load/plugin-step.js';
import { stepTemplates, type StepTemplate } from './step-templates.js';
import { valueAt } from '../input/value-at.js';
import type { PathSegment } from '../input/yaml-source.js';

const resultConditions = new Set(['until', 'changed_when', 'failed_when']);

/** Stands for a result that exists only at run time: any key of data may be read from it, and nothing that reaches into JavaScript. */
const anyShape: Record<string, unknown> = new Proxy(
  {},
  {
    has: (_target, key) => !reachesJavaScript(key),
    get: (_target, key) => (reachesJavaScript(key) ? undefined : anyShape),
    getOwnPropertyDescriptor: (_target, key) =>
      reachesJavaScript(key) ? undefined : { value: anyShape, configurable: true, enumerable: true, writable: false },
  },
);

/**
 * Renders, with stand-ins for results not known yet, each template that reads them: one that would
 * reach into JavaScript or past a limit whatever the results hold is refused now, not halfway through.
 */
function trialProblems(
  step: PluginStep,
  scope: Record<string, unknown>,
  registered: ReadonlySet<string>,
): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const template of stepTemplates(step)) {
    let names: string[];
    try {
      names = referencedNames(template.source).map((reference) => reference.path[0]!);
    } catch {
      continue;
    }
    // Conditions over results (until...) are few and never evaluated before the run: each gets a trial.
    if (
      !resultConditions.has(String(template.path[0])) &&
      !names.some((name) => registered.has(name) || name === 'result')
    )
      continue;
    try {
      renderString(template.source, scope);
    } catch (error) {
      if (isRefusal(error)) problems.push({ location: step.locate(template.path), message: (error as Error).message });
    }
  }
  return problems;
}

/** A step the inventory skips still holds no template that reaches into JavaScript. */
function ruleProblems(step: PluginStep, template: StepTemplate): InputProblem[] {
  try {
    checkTemplateRules(template.source);
    return [];
  } catch (error) {
    if (!(error instanceof TemplateError))
      return [{ location: step.locate(template.path), message: `invalid template: ${cleanNunjucksMessage(error)}` }];
    return [{ location: step.locate(template.path), message: error.message }];
  }
}

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
function renderedArgProblems(
  step: PluginStep,
  plugin: AnyPlugin | undefined,
  vars: Readonly<Record<string, unknown>>,
  registered: ReadonlySet<string>,
  origins?: ReadonlyMap<string, string>,
): InputProblem[] {
  if (!plugin) return [];
  const paths = new Map<unknown, readonly PathSegment[]>();
  let prepared;
  try {
    prepared = argsFromVariables(step, plugin, vars, registered, (path, target) => {
      const location = step.locate([step.plugin, ...path], target);
      paths.set(location, path);
      return location;
    });
  } catch (error) {
    if (error instanceof RenderError)
      return [
        {
          location: step.locate([step.plugin, ...error.path]),
          message: error.message,
          ...(error.hint ? { hint: error.hint } : {}),
        },
      ];
    throw error;
  }
  if (prepared === undefined) return [];
  return prepared.problems.map((problem) => ({
    ...problem,
    message: `${problem.message} ${setBy(step, paths.get(problem.location), origins)}`,
  }));
}

/** Which variables made the refused value, and who set them: the playbook line is not where the user typed `-e`. */
function setBy(
  step: PluginStep,
  path: readonly PathSegment[] | undefined,
  origins: ReadonlyMap<string, string> | undefined,
): string {
  const raw = path ? valueAt(step.args, path) : undefined;
  if (typeof raw !== 'string' || !origins) return '(from the variables)';
  let names: string[];
  try {
    names = [...new Set(referencedNames(raw).map((reference) => reference.path[0]!))];
  } catch {
    return '(from the variables)';
  }
  const sources = names.filter((name) => origins.has(name)).map((name) => `${name} is set in ${origins.get(name)}`);
  return sources.length ? `(${sources.join('; ')})` : '(from the variables)';
}

/** A condition that reads only variables is evaluated now: one that cannot be is an input error, not a failure halfway through. */
function conditionProblems(
  step: PluginStep,
  vars: Readonly<Record<string, unknown>>,
  registered: ReadonlySet<string>,
): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const key of ['when'] as const) {
    const condition = step[key];
    if (typeof condition !== 'string') continue;
    const template = stepTemplates(step).find((candidate) => candidate.path[0] === key);
    if (!template || referencedNames(template.source).some((reference) => registered.has(reference.path[0]!))) continue;
    try {
      evaluateCondition(condition, vars);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      problems.push({
        location: step.locate([key]),
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
  }
  return problems;
}

/** The step's arguments, prepared, when they read only variables (not what earlier steps register); undefined otherwise. A template that cannot render throws. */
export function argsFromVariables(
  step: PluginStep,
  plugin: AnyPlugin,
  vars: Readonly<Record<string, unknown>>,
  registered: ReadonlySet<string>,
  locate?: Locate,
): PreparedArgs | undefined {
  const readsResults = stepTemplates(step).some((template) => {
    if (template.path[0] !== step.plugin) return false;
    try {
      return referencedNames(template.source).some(
        (reference) => registered.has(reference.path[0]!) || reference.path[0] === 'result',
      );
    } catch {
      return true;
    }
  });
  return readsResults ? undefined : prepareArgs(step, plugin, vars, locate);
}

/** What each step may do, from its arguments alone, for the steps whose arguments are known before the run (by index). */
export function knownEffects(
  steps: readonly PluginStep[],
  allSteps: readonly PluginStep[],
  vars: Readonly<Record<string, unknown>>,
  plugins: ReadonlyMap<string, AnyPlugin>,
): Map<number, StepEffects> {
  const registered = new Set(allSteps.flatMap((step) => (step.register ? [step.register] : [])));
  const effects = new Map<number, StepEffects>();
  for (const step of steps) {
    const plugin = plugins.get(step.plugin);
    if (!plugin?.effects) continue;
    let prepared;
    try {
      prepared = argsFromVariables(step, plugin, vars, registered);
    } catch {
      continue;
    }
    if (prepared === undefined || prepared.problems.length > 0) continue;
    effects.set(step.index, plugin.effects(prepared.args));
  }
  return effects;
}

export function preflight(
  steps: readonly PluginStep[],
  allSteps: readonly PluginStep[],
  vars: Readonly<Record<string, unknown>>,
  plugins?: ReadonlyMap<string, AnyPlugin>,
  origins?: ReadonlyMap<string, string>,
): void {
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
      if (skipped && template.path[0] !== 'when') {
        problems.push(...ruleProblems(step, template));
        continue;
      }
      try {
        checkNames(template.source, resultConditions.has(String(template.path[0])) ? withResult : scope, names);
      } catch (error) {
        const message =
          error instanceof TemplateError ? error.message : `invalid template: ${cleanNunjucksMessage(error)}`;
        problems.push({
          location: step.locate(template.path),
          message,
          ...(error instanceof TemplateError && error.hint ? { hint: error.hint } : {}),
        });
      }
    }
    if (problems.length === before) problems.push(...conditionProblems(step, vars, registered));
    if (problems.length === before) problems.push(...trialProblems(step, withResult, registered));
    if (!skipped && problems.length === before) {
      problems.push(...renderedArgProblems(step, plugins?.get(step.plugin), vars, registered, origins));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}
