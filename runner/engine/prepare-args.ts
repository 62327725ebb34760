import type { InputProblem } from '../input/input-error.js';
import type { PluginStep } from '../load/plugin-step.js';
import type { AnyPlugin } from '../plugin-contract/contract.js';
import type { Locate } from '../schema/format-errors.js';
import { validateRenderedArgs } from '../schema/validate-args.js';
import { renderDeep } from '../template/render.js';

/** Omitted arguments a plugin takes from variables (kubeconfig, terraform_dir...). */
export function fillFromVars(
  plugin: AnyPlugin,
  args: Record<string, unknown>,
  vars: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  for (const [argument, variable] of Object.entries(plugin.argsFromVars ?? {})) {
    if (typeof variable !== 'string' || args[argument] !== undefined) continue;
    const value = vars[variable];
    if (value !== undefined && value !== null && value !== '') args[argument] = value;
  }
  return args;
}

export interface PreparedArgs {
  args: unknown;
  /** Where the rendered arguments break the plugin's schema; none when they fit. */
  problems: InputProblem[];
}

/**
 * A step's arguments as its plugin gets them, the same before the run (preflight) and at the step:
 * rendered against `scope`, omitted ones filled from the variables, checked against the schema.
 * A template that cannot render throws its RenderError.
 */
export function prepareArgs(
  step: PluginStep,
  plugin: AnyPlugin,
  scope: Readonly<Record<string, unknown>>,
  locate: Locate = (path, target) => step.locate([step.plugin, ...path], target),
): PreparedArgs {
  let args = renderDeep(step.args, scope as Record<string, unknown>);
  if (args && typeof args === 'object' && !Array.isArray(args))
    args = fillFromVars(plugin, { ...(args as object) }, scope);
  return { args, problems: validateRenderedArgs(plugin, args, locate) };
}
