import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecapEvent, StepRef, StepStatus } from '../events/run-event.js';
import type { StepResult } from '../engine/step-result.js';

/**
 * How a run was started, so that --resume repeats it: the inventories (absolute paths) and the -e
 * arguments (an @file made absolute); an inline -e that holds a secret is kept only as where it was.
 */
export interface StartedWith {
  inventories: string[];
  extraVars: (string | { secret: string })[];
}

export type JournalRecord =
  | { type: 'run'; runId: string; playbook: string; at: string; resumed: boolean; started?: StartedWith }
  | { type: 'step'; index: number; name: string; plugin: string; status: StepStatus; result: StepResult; at: string }
  | { type: 'end'; ok: number; changed: number; failed: number; interrupted: boolean; refused: boolean; at: string };

const runsDir = (stateDir: string) => join(stateDir, 'runs');

/** Every applying run appends here, one JSON line per record, synchronously: a killed run leaves every finished step recorded. */
export class RunJournal {
  readonly path: string;

  constructor(
    stateDir: string,
    readonly runId: string,
  ) {
    mkdirSync(runsDir(stateDir), { recursive: true });
    this.path = join(runsDir(stateDir), `${runId}.jsonl`);
  }

  private append(record: JournalRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }

  start(playbook: string, resumed: boolean, started?: StartedWith): void {
    this.append({
      type: 'run',
      runId: this.runId,
      playbook,
      at: new Date().toISOString(),
      resumed,
      ...(started ? { started } : {}),
    });
  }

  /** Results come in already masked: the journal never holds a secret. */
  step(ref: StepRef, status: StepStatus, result: StepResult): void {
    this.append({ type: 'step', ...ref, status, result, at: new Date().toISOString() });
  }

  end(recap: Pick<RecapEvent, 'ok' | 'changed' | 'failed' | 'interrupted' | 'refused'>): void {
    this.append({
      type: 'end',
      ok: recap.ok,
      changed: recap.changed,
      failed: recap.failed,
      interrupted: recap.interrupted,
      refused: recap.refused ?? false,
      at: new Date().toISOString(),
    });
    const handle = openSync(this.path, 'a');
    fsyncSync(handle);
    closeSync(handle);
  }
}

export interface Resumable {
  runId: string;
  done: Map<number, { name: string; result: StepResult; runId: string }>;
  /** How the run was first started; absent in a journal from before it was recorded. */
  started?: StartedWith;
}

function readRecords(path: string): JournalRecord[] {
  // A line cut short by a kill is the only one that may not parse; it is the last.
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalRecord];
      } catch {
        return [];
      }
    });
}

/** The newest run of this playbook that did not finish cleanly, with the steps it finished. */
export function findResumable(stateDir: string, playbook: string): Resumable | undefined {
  let names: string[];
  try {
    names = readdirSync(runsDir(stateDir))
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
      .reverse();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const records = readRecords(join(runsDir(stateDir), name));
    const first = records[0];
    if (first?.type !== 'run' || first.playbook !== playbook) continue;
    const last = [...records].reverse().find((record) => record.type === 'end');
    const unfinished =
      records[records.length - 1]?.type !== 'end' ||
      (last && last.type === 'end' && (last.failed > 0 || last.interrupted || last.refused));
    if (!unfinished) return undefined;
    return { runId: first.runId, done: finishedSteps(records, first.runId), ...startedOf(records) };
  }
  return undefined;
}

/** How the run was last started (a resume with --override changes it): later resumes repeat that. */
function startedOf(records: JournalRecord[]): Pick<Resumable, 'started'> {
  for (let index = records.length - 1; index >= 0; index -= 1) {
    const record = records[index]!;
    if (record.type === 'run' && record.started) return { started: record.started };
  }
  return {};
}

function finishedSteps(records: JournalRecord[], runId: string): Resumable['done'] {
  const done = new Map<number, { name: string; result: StepResult; runId: string }>();
  for (const record of records) {
    if (record.type === 'step' && record.status !== 'failed' && record.status !== 'unknown')
      done.set(record.index, { name: record.name, result: record.result, runId });
  }
  return done;
}

/** The playbook a run id's journal belongs to, if that id was used before. */
export function playbookOfRun(stateDir: string, runId: string): string | undefined {
  try {
    const first = readRecords(join(runsDir(stateDir), `${runId}.jsonl`))[0];
    return first?.type === 'run' ? first.playbook : undefined;
  } catch {
    return undefined;
  }
}

/** One run of this playbook by its id, finished or not, with the steps it finished: a run whose restore is still pending is resumed so. */
export function findRun(stateDir: string, playbook: string, runId: string): Resumable | undefined {
  let records: JournalRecord[];
  try {
    records = readRecords(join(runsDir(stateDir), `${runId}.jsonl`));
  } catch {
    return undefined;
  }
  const first = records[0];
  if (first?.type !== 'run' || first.playbook !== playbook) return undefined;
  return { runId, done: finishedSteps(records, runId), ...startedOf(records) };
}
