import type { ChalkInstance } from 'chalk';
import type { RunEvent, RunMode } from '../events/run-event.js';
import type { Renderer } from './renderer.js';
import { statusColor } from './colors.js';
import { formatAction } from './format-action.js';
import { formatDiff } from './format-diff.js';
import type { DiffOutput } from './diff-output.js';
import { formatDetails } from './format-details.js';
import { formatRecap, formatSeconds } from './format-recap.js';
import { formatRunStart } from './format-run-start.js';
import { modePolicy } from '../engine/mode-policy.js';

/** Line-oriented output for CI logs and pipes: one line per event, nothing redrawn. */
export class PlainRenderer implements Renderer {
  private mode: RunMode = 'apply';
  private total = 0;
  private position = new Map<number, number>();
  /** The sandbox's summary comes just before the recap; people read it after. */
  private siteText = '';

  constructor(
    private readonly write: (text: string) => void,
    private readonly colors: ChalkInstance,
    private readonly diffOutput: DiffOutput = { detail: 'summary' },
    /** Every line a step's tool prints, as it prints it (--verbose). */
    private readonly verbose = false,
  ) {}

  listen(event: RunEvent): void {
    const c = this.colors;
    switch (event.type) {
      case 'run:start':
        this.mode = event.mode;
        this.total = event.steps.length;
        event.steps.forEach((step, position) => this.position.set(step.index, position + 1));
        this.write(`${formatRunStart(event, c)}\n`);
        return;
      case 'step:start':
        this.write(
          `${c.bold(`[${this.position.get(event.index) ?? event.index + 1}/${this.total}]`)} ${event.name} ${c.dim(`(${event.plugin})`)}\n`,
        );
        return;
      case 'step:plan': {
        // A step with nothing to do may still list what it found (the volumes no PV uses).
        if (event.change !== 'none') {
          const verb = modePolicy(this.mode).runVerb;
          for (const action of event.actions) this.write(`      ${c.dim(verb + ':')} ${formatAction(action)}\n`);
          const position = this.position.get(event.index) ?? event.index + 1;
          for (const line of event.warnings ?? []) this.write(`      ${c.yellow(`! ${line}`)}\n`);
          for (const diff of event.diffs)
            this.write(
              `${formatDiff(diff, c, '      ', { ...this.diffOutput, label: `step-${position}-${diff.path.split('/').pop()}` })}\n`,
            );
        }
        for (const line of formatDetails(event.details, '      ')) this.write(`${line}\n`);
        return;
      }
      case 'step:output':
        if (this.verbose) this.write(event.lines.map((line) => `      ${c.dim('|')} ${line}\n`).join(''));
        return;
      case 'step:retry':
        this.write(
          `      ${c.yellow('retry')} ${event.attempt}/${event.attempts - 1}: ${event.reason}; waiting ${event.delaySeconds}s\n`,
        );
        return;
      case 'step:end': {
        const label = statusColor(c, event.status)(event.status.padEnd(7));
        const where = event.location ? ` ${c.dim(`at ${event.location}`)}` : '';
        this.write(`      ${label} ${event.reason}${where} ${c.dim(formatSeconds(event.durationMs))}\n`);
        return;
      }
      case 'recap':
        this.write(`${formatRecap(event, this.mode, c)}\n${this.siteText}`);
        return;
      case 'site:summary':
        this.siteText = `${event.lines.join('\n')}\n`;
        return;
    }
  }

  async finish(): Promise<void> {}
}
