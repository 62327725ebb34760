import { appendFileSync } from 'node:fs';
import type { RunEvent } from '../events/run-event.js';

/**
 * Every line the tools of an applying run print, as they print it and masked, beside its journal
 * (`state_dir/runs/<run_id>.log`): what a failed step's reason points to when it shows only the end.
 * Written as the tool prints, so a killed run's log holds what its tools said up to the kill.
 */
export class ToolOutputLog {
  private headed = new Set<number>();

  constructor(readonly path: string) {}

  listen(event: RunEvent): void {
    if (event.type !== 'step:output') return;
    if (!this.headed.has(event.index)) {
      this.headed.add(event.index);
      appendFileSync(this.path, `--- step ${event.index + 1}: ${event.name} (${new Date().toISOString()})\n`);
    }
    appendFileSync(this.path, `${event.lines.join('\n')}\n`);
  }
}
