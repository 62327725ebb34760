import type { ChalkInstance } from 'chalk';
import type { RunEvent } from '../events/run-event.js';
import { modePolicy } from '../engine/mode-policy.js';

/** The first line of every run: which site, whether it is simulated, which playbook and mode. */
export function formatRunStart(event: Extract<RunEvent, { type: 'run:start' }>, colors: ChalkInstance): string {
  const site = event.simulated
    ? `${colors.bold(event.site)} ${colors.cyan('(simulated site)')}`
    : `${colors.bold(event.site)} ${colors.yellow('(real site)')}`;
  const head = `Site ${site} · playbook ${colors.bold(event.name)} (${event.playbook}) · mode: ${modePolicy(event.mode).label}`;
  if (!event.confirm?.length) return head;
  const position = new Map(event.steps.map((step, index) => [step.index, index + 1]));
  const lines = event.confirm.map(
    (step) => `  [${position.get(step.index)}/${event.steps.length}] ${step.name}: ${step.what}`,
  );
  return [head, colors.yellow('An apply asks to confirm these before anything runs (or takes --yes):'), ...lines].join(
    '\n',
  );
}
