import { isTemplate } from '../template/environment.js';
import type { PluginStep } from '../load/plugin-step.js';

export interface StepTemplate {
  source: string;
  path: (string | number)[];
  /** A bare expression (when, until...) rather than text with `{{ }}`. */
  expression: boolean;
}

function collectStrings(value: unknown, path: (string | number)[], into: StepTemplate[]): void {
  if (typeof value === 'string') {
    if (isTemplate(value)) into.push({ source: value, path, expression: false });
    return;
  }
  if (Array.isArray(value)) return value.forEach((item, index) => collectStrings(item, [...path, index], into));
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) collectStrings(item, [...path, key], into);
  }
}

/** Every template a step holds: its arguments' strings and its conditions. */
export function stepTemplates(step: PluginStep): StepTemplate[] {
  const found: StepTemplate[] = [];
  collectStrings(step.args, [step.plugin], found);
  for (const key of ['when', 'until', 'changed_when', 'failed_when'] as const) {
    const condition = step[key];
    if (typeof condition === 'string')
      found.push({
        source: `{{ ${condition.replace(/^\s*\{\{([\s\S]*)\}\}\s*$/, '$1')} }}`,
        path: [key],
        expression: true,
      });
  }
  return found;
}
