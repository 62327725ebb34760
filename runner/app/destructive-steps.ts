import { whenIsFalse } from '../engine/preflight.js';
import type { PluginStep } from '../load/plugin-step.js';
import type { StepEffects } from '../plugin-contract/contract.js';

export interface DestructiveStep {
  step: PluginStep;
  what: string;
}

/** The selected steps that may destroy, known from their arguments before anything runs: not those `when` rules out, nor those a resumed run finished. */
export function destructiveSteps(
  steps: readonly PluginStep[],
  effects: ReadonlyMap<number, StepEffects>,
  vars: Readonly<Record<string, unknown>>,
  done: ReadonlySet<number>,
): DestructiveStep[] {
  return steps.flatMap((step) => {
    const destroys = effects.get(step.index)?.destroys;
    if (!destroys || done.has(step.index) || whenIsFalse(step, vars)) return [];
    return [{ step, what: destroys.what }];
  });
}

export function describeDestructiveSteps(
  destroying: readonly DestructiveStep[],
  position: (step: PluginStep) => string,
): string {
  return destroying.map(({ step, what }) => `  ${position(step)} ${step.name}: ${what}`).join('\n');
}
