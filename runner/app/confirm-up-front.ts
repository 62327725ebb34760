import { notConfirmed } from './confirmation.js';
import type { PreparedRun } from './prepare-run.js';
import type { AppIO } from './app-io.js';
import { describeDestructiveSteps } from './destructive-steps.js';
import type { PluginStep } from '../load/plugin-step.js';

/**
 * Asked once, before anything runs, while the person who started the run is watching: a rebuild's
 * destroy comes minutes after its backup, and a refusal then leaves nothing behind. Each destructive
 * step still needs its verified backup when it comes.
 */
export async function confirmUpFront(
  prepared: Pick<PreparedRun, 'steps' | 'destroying'>,
  io: Pick<AppIO, 'ask'>,
  site = 'this site',
): Promise<true | string> {
  const position = (step: PluginStep) => `[${prepared.steps.indexOf(step) + 1}/${prepared.steps.length}]`;
  const list = describeDestructiveSteps(prepared.destroying ?? [], position);
  if (!io.ask)
    return `refused: this run may destroy what users' data depends on, on ${site}, and nobody can confirm it here (no terminal); check it with --check, then rerun with --yes:\n${list}`;
  const refused = notConfirmed(
    await io.ask(
      `This run may destroy, on ${site}:\n${list}\nEach goes ahead only once a verified backup covers it. Type "yes" to go on: `,
    ),
  );
  return refused ? `refused: ${refused}` : true;
}
