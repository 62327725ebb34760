import type { ChalkInstance } from 'chalk';
import { Listr, type ListrTask, type ListrTaskWrapper } from 'listr2';
import type { RunEvent, RunMode, StepRef } from '../events/run-event.js';
import type { Renderer } from './renderer.js';
import { formatAction } from './format-action.js';
import { formatDiff } from './format-diff.js';
import { formatRecap, formatSeconds } from './format-recap.js';
import { formatRunStart } from './format-run-start.js';
import { ListrConfirmPrompt } from './listr-confirm-prompt.js';

type StepEnd = Extract<RunEvent, { type: 'step:end' }>;

interface PendingStep {
  ref: StepRef;
  details: string[];
  end: Promise<StepEnd | undefined>;
  settle: (end: StepEnd | undefined) => void;
  /** The task list's handle on the step while it runs. */
  task?: ListrTaskWrapper<unknown, never, never>;
}

/** A live task list for an interactive terminal; it follows the events and never drives the run. */
export class ListrRenderer implements Renderer {
  private mode: RunMode = 'apply';
  private steps = new Map<number, PendingStep>();
  private running: Promise<unknown> = Promise.resolve();
  private recapText = '';
  private siteText = '';
  private current: PendingStep | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly colors: ChalkInstance,
  ) {}

  listen(event: RunEvent): void {
    switch (event.type) {
      case 'run:start':
        this.mode = event.mode;
        this.write(`${formatRunStart(event, this.colors)}\n`);
        this.start(event.steps);
        return;
      case 'step:plan': {
        const step = this.steps.get(event.index);
        if (!step || event.change === 'none') return;
        const verb = this.mode === 'apply' ? 'run' : 'would run';
        step.details.push(...event.actions.map((action) => `${verb}: ${formatAction(action)}`));
        step.details.push(...event.diffs.map((diff) => formatDiff(diff, this.colors, '')));
        return;
      }
      case 'step:retry':
        this.steps.get(event.index)?.details.push(`retry ${event.attempt}/${event.attempts - 1}: waiting ${event.delaySeconds}s`);
        return;
      case 'step:end':
        this.steps.get(event.index)?.settle(event);
        return;
      case 'recap':
        for (const step of this.steps.values()) step.settle(undefined);
        this.recapText = formatRecap(event, this.mode, this.colors);
        return;
      case 'site:summary':
        this.siteText = event.lines.join('\n');
        return;
      default:
        return;
    }
  }

  private start(refs: StepRef[]): void {
    const tasks: ListrTask[] = refs.map((ref) => {
      let settle: PendingStep['settle'] = () => {};
      const end = new Promise<StepEnd | undefined>((resolve) => (settle = resolve));
      const pending: PendingStep = { ref, details: [], end, settle };
      this.steps.set(ref.index, pending);
      return {
        title: ref.name,
        task: async (_context, task) => {
          pending.task = task as ListrTaskWrapper<unknown, never, never>;
          this.current = pending;
          const result = await end;
          this.current = undefined;
          if (!result) return task.skip(`${ref.name} (not run)`);
          if (result.status === 'skipped') return task.skip(`${ref.name} (${result.reason})`);
          const reason = result.status === 'failed' ? '' : ` · ${result.reason}`;
          task.title = `${ref.name} ${this.colors.dim(`${result.status}${reason} · ${formatSeconds(result.durationMs)}`)}`;
          if (pending.details.length > 0) task.output = pending.details.join('\n');
          if (result.status === 'failed') throw new Error(`${result.error ?? result.reason}${result.location ? ` at ${result.location}` : ''}`);
        },
        rendererOptions: { persistentOutput: true, outputBar: Infinity },
      };
    });
    const list = new Listr(tasks, { concurrent: false, exitOnError: false, rendererOptions: { collapseErrors: false, collapseSkips: false } });
    this.running = list.run().catch(() => undefined);
  }

  /** Asks in the running step's place in the list, where the answer can be seen while it is typed. */
  async ask(question: string): Promise<string | undefined> {
    const step = this.current;
    if (!step?.task) return undefined;
    const answer = await step.task.prompt(ListrConfirmPrompt).run<string>(question);
    step.details.push(`${question.split('\n')[0]} answered: ${answer.trim() || '(nothing)'}`);
    return answer;
  }

  async finish(): Promise<void> {
    await this.running;
    if (this.recapText) this.write(`${this.recapText}\n`);
    if (this.siteText) this.write(`${this.siteText}\n`);
  }
}
