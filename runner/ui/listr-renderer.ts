import type { ChalkInstance } from 'chalk';
import { Listr, type ListrTaskWrapper } from 'listr2';
import type { RunEvent, RunMode, StepRef } from '../events/run-event.js';
import type { Renderer } from './renderer.js';
import { formatAction } from './format-action.js';
import { formatDiff } from './format-diff.js';
import type { DiffOutput } from './diff-output.js';
import { formatDetails } from './format-details.js';
import { formatRecap, formatSeconds } from './format-recap.js';
import { formatRunStart } from './format-run-start.js';
import { ListrConfirmPrompt } from './listr-confirm-prompt.js';
import { modePolicy } from '../engine/mode-policy.js';

type StepEnd = Extract<RunEvent, { type: 'step:end' }>;

/** A step shows its elapsed time and its tool's last line once it has run this long. */
const liveAfterSeconds = 3;
/** At most this much of that line, so it stays on one line of the terminal. */
const lastLineWidth = 100;

/** 42s, 3m05s, 1h02m: how long a step has run so far. */
function elapsed(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
type StepTask = ListrTaskWrapper<unknown, never, never>;

interface PendingStep {
  ref: StepRef;
  details: string[];
  /** The last line its tool printed, shown under the step while it runs. */
  lastLine?: string;
  end: Promise<StepEnd | undefined>;
  settle: (end: StepEnd | undefined) => void;
  /** The task list's handle on the step, once its list is drawn. */
  task: Promise<StepTask>;
}

/**
 * A live task list for an interactive terminal; it follows the events and never drives the run.
 * Each step is a list of its own, printed for good when it ends: redrawing every finished step and
 * its diffs on each spinner tick made a rebuild-cluster run five times slower than with plain lines.
 */
export class ListrRenderer implements Renderer {
  private mode: RunMode = 'apply';
  private total = 0;
  private steps = new Map<number, PendingStep>();
  private running: Promise<unknown> = Promise.resolve();
  private current: PendingStep | undefined;
  private recapText = '';
  private siteText = '';

  constructor(
    private readonly write: (text: string) => void,
    private readonly colors: ChalkInstance,
    private readonly diffOutput: DiffOutput = { detail: 'summary' },
  ) {}

  listen(event: RunEvent): void {
    switch (event.type) {
      case 'run:start':
        this.mode = event.mode;
        this.total = event.steps.length;
        this.write(`${formatRunStart(event, this.colors)}\n`);
        return;
      case 'step:start':
        this.current = this.draw(event);
        return;
      case 'step:plan': {
        const step = this.steps.get(event.index);
        if (!step) return;
        // A step with nothing to do may still list what it found (the volumes no PV uses).
        if (event.change === 'none') return void step.details.push(...formatDetails(event.details, ''));
        const verb = modePolicy(this.mode).runVerb;
        step.details.push(...event.actions.map((action) => `${verb}: ${formatAction(action)}`));
        step.details.push(...(event.warnings ?? []).map((line) => this.colors.yellow(`! ${line}`)));
        step.details.push(
          ...event.diffs.map((diff) =>
            formatDiff(diff, this.colors, '', {
              ...this.diffOutput,
              label: `step-${event.index + 1}-${diff.path.split('/').pop()}`,
            }),
          ),
        );
        step.details.push(...formatDetails(event.details, ''));
        return;
      }
      case 'step:retry':
        this.steps
          .get(event.index)
          ?.details.push(`retry ${event.attempt}/${event.attempts - 1}: waiting ${event.delaySeconds}s`);
        return;
      case 'step:output': {
        const step = this.steps.get(event.index);
        const said = event.lines.findLast((line) => line.trim() !== '');
        if (step && said !== undefined) step.lastLine = said;
        return;
      }
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

  /** A one-task list for the step, drawn once the previous step's list has been printed. */
  private draw(ref: StepRef): PendingStep {
    let settle: PendingStep['settle'] = () => {};
    const end = new Promise<StepEnd | undefined>((resolve) => (settle = resolve));
    let started: (task: StepTask) => void = () => {};
    const task = new Promise<StepTask>((resolve) => (started = resolve));
    const pending: PendingStep = { ref, details: [], end, settle, task };
    this.steps.set(ref.index, pending);
    const title = `${this.colors.dim(`[${ref.index + 1}/${this.total}]`)} ${ref.name}`;
    const list = new Listr(
      [
        {
          title,
          task: async (_context, wrapper) => {
            started(wrapper as StepTask);
            const since = Date.now();
            // A step that runs a while shows how long so far and its tool's last line (Kubespray runs for half an hour).
            const progress = setInterval(() => {
              const seconds = Math.floor((Date.now() - since) / 1000);
              if (seconds < liveAfterSeconds) return;
              const line = pending.lastLine ? ` · ${pending.lastLine.slice(0, lastLineWidth)}` : '';
              wrapper.output = this.colors.dim(`${elapsed(seconds)}${line}`);
            }, 1000);
            const result = await end.finally(() => clearInterval(progress));
            if (!result) return wrapper.skip(`${title} ${this.colors.dim('not run')}`);
            if (result.status === 'skipped')
              return wrapper.skip(`${title} ${this.colors.dim(`skipped · ${result.reason}`)}`);
            const reason = result.status === 'failed' ? '' : ` · ${result.reason}`;
            wrapper.title = `${title} ${this.colors.dim(`${result.status}${reason} · ${formatSeconds(result.durationMs)}`)}`;
            if (result.status === 'failed')
              throw new Error(`${result.error ?? result.reason}${result.location ? ` at ${result.location}` : ''}`);
          },
        },
      ],
      {
        exitOnError: false,
        registerSignalListeners: false,
        rendererOptions: { collapseErrors: false, collapseSkips: true },
      },
    );
    this.running = this.running.then(async () => {
      await list.run().catch(() => undefined);
      // Written past listr2, which wraps every line it draws: a rebuild's diffs took it seconds at 100 users.
      if (pending.details.length > 0) this.write(`${pending.details.join('\n').replace(/^/gm, '    ')}\n`);
    });
    return pending;
  }

  /** Asks in the running step's place in the list, where the answer can be seen while it is typed. */
  async ask(question: string): Promise<string | undefined> {
    const step = this.current;
    if (!step) return undefined;
    const answer = await (await step.task).prompt(ListrConfirmPrompt).run<string>(question);
    step.details.push(`${question.split('\n')[0]} answered: ${answer.trim() || '(nothing)'}`);
    return answer;
  }

  async finish(): Promise<void> {
    await this.running;
    if (this.recapText) this.write(`${this.recapText}\n`);
    if (this.siteText) this.write(`${this.siteText}\n`);
  }
}
