import type { PluginStep } from '../load/plugin-step.js';
import { formatLocation } from '../input/source-location.js';

export function formatStepList(
  name: string,
  file: string,
  all: readonly PluginStep[],
  selected: readonly PluginStep[],
): string {
  const chosen = new Set(selected);
  const lines = [`${name} (${file}): ${selected.length} of ${all.length} step(s) selected`];
  for (const step of all) {
    const mark = chosen.has(step) ? '*' : ' ';
    const tags = step.tags?.length ? `  tags: ${step.tags.join(', ')}` : '';
    lines.push(
      `${mark} ${String(step.index + 1).padStart(3)}. ${step.name}  [${step.plugin}]${tags}  ${formatLocation(step.location)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
