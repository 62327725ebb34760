import type { RunEvent } from '../events/run-event.js';
import type { Renderer } from './renderer.js';
import { unifiedDiff } from './format-diff.js';

/** JSON lines for machines: every event on its own line, the recap last; diffs travel as unified patches. */
export class JsonRenderer implements Renderer {
  constructor(private readonly write: (text: string) => void) {}

  listen(event: RunEvent): void {
    if (event.type === 'step:plan') {
      const { diffs, ...rest } = event;
      this.write(`${JSON.stringify({ ...rest, diffs: diffs.map((diff) => ({ path: diff.path, patch: unifiedDiff(diff) })) })}\n`);
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
