import type { ProcessRunner } from '../../exec/exec-result.js';
import { redactSnapshot } from './redact-snapshot.js';
import { snapshotSources, toolVersionSources } from './snapshot-sources.js';
import type { SecretMasker } from '../../vars/secret-masker.js';

type Vars = Readonly<Record<string, unknown>>;

/** A read that failed: the snapshot is not written, and this says which and why. */
export class SnapshotReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotReadError';
  }
}

export interface TakenSnapshot {
  files: Map<string, unknown>;
  absent: Record<string, string>;
  tools: Record<string, string>;
  redacted: number;
}

/** Runs at most `limit` of the reads at once: a site's API and cloud answer many, not all. */
async function inTurns<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const lastLines = (text: string) => text.trim().split('\n').slice(-3).join(' / ');

/** Reads the whole site through its tools, read-only commands only, every secret replaced before it is kept. */
export async function takeSnapshot(
  runner: ProcessRunner,
  vars: Vars,
  masker: SecretMasker,
  now: Date,
  signal?: AbortSignal,
): Promise<TakenSnapshot> {
  const files = new Map<string, unknown>();
  const absent: Record<string, string> = {};
  let redacted = 0;
  const keep = (file: string, value: unknown) => {
    const clean = redactSnapshot(value, masker);
    redacted += clean.redacted;
    files.set(file, clean.value);
  };
  const sources = snapshotSources(vars, now);
  const results = await inTurns(sources, 6, (source) => runner.run({ argv: source.argv }, signal));
  sources.forEach((source, index) => {
    const result = results[index]!;
    if (result.exitCode !== 0) {
      const why = source.absent?.(result);
      if (why) return void (absent[source.file] = why);
      throw new SnapshotReadError(
        source.file,
        `${source.argv.join(' ')} failed (exit ${result.exitCode}): ${lastLines(result.stderr || result.stdout)}`,
      );
    }
    try {
      keep(source.file, source.keep(result.stdout));
    } catch (error) {
      throw new SnapshotReadError(
        source.file,
        `${source.argv.join(' ')} printed what is not JSON: ${(error as Error).message}`,
      );
    }
  });
  if (vars['terraform_vars'] !== undefined) keep('terraform/vars.json', vars['terraform_vars']);
  const tools: Record<string, string> = {};
  const version = files.get('kubernetes/version.json') as
    { clientVersion?: { gitVersion?: string }; serverVersion?: { gitVersion?: string } } | undefined;
  if (version?.clientVersion?.gitVersion) tools['kubectl'] = version.clientVersion.gitVersion;
  if (version?.serverVersion?.gitVersion) tools['kubernetes'] = version.serverVersion.gitVersion;
  const versions = toolVersionSources(vars);
  const answers = await Promise.all(versions.map((tool) => runner.run({ argv: tool.argv }, signal)));
  versions.forEach((tool, index) => {
    const answer = answers[index]!;
    if (answer.exitCode === 0) tools[tool.tool] = (answer.stdout || answer.stderr).trim().split('\n')[0]!;
  });
  return { files, absent, tools, redacted };
}
