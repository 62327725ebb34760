import type { RunEvent } from '../events/run-event.js';
import type { Renderer } from './renderer.js';
import { unifiedDiff } from './format-diff.js';
import { stripBookkeeping } from './diff-bookkeeping.js';
import type { DiffDetail } from './present-diff.js';

/** JSON lines for machines: every event on its own line, the recap last; diffs travel as whole unified patches (without server bookkeeping unless `--diff full`). */
export class JsonRenderer implements Renderer {
  constructor(
    private readonly write: (text: string) => void,
    private readonly detail: DiffDetail = 'summary',
  ) {}

  listen(event: RunEvent): void {
    // A tool's lines as it prints them are for a person watching; its whole output is in the step's result and the journal.
    if (event.type === 'step:output') return;
    if (event.type === 'step:plan') {
      const { diffs, ...rest } = event;
      this.write(
        `${JSON.stringify({ ...rest, diffs: diffs.map((diff) => ({ path: diff.path, patch: this.detail === 'full' ? unifiedDiff(diff) : stripBookkeeping(unifiedDiff(diff)) })) })}\n`,
      );
      return;
    }
    if (event.type === 'recap') {
      const { type, ok, changed, skipped, failed, unknown, ...rest } = event;
      this.write(`${JSON.stringify({ type, ok, changed, skipped, failed, unknown, ...rest })}\n`);
      return;
    }
    this.write(`${JSON.stringify(event)}\n`);
  }

  async finish(): Promise<void> {}
}
