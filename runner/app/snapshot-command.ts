import { existsSync, readFileSync } from 'node:fs';
import { textVar } from './text-var.js';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { SecretMasker } from '../vars/secret-masker.js';
import type { AppIO } from './app-io.js';
import { siteForCommand } from './site-command.js';
import { describeSite } from './site-description.js';
import { withSiteTools } from './site-view.js';
import { SnapshotReadError, takeSnapshot } from './snapshot/take-snapshot.js';
import { isSecretAt } from '../plugins/kube/secret-values.js';
import { looksSecret } from './snapshot/redact-snapshot.js';
import { SnapshotFolderAppeared, writeSnapshot, type SnapshotManifest } from './snapshot/write-snapshot.js';
import { summarizeSnapshot } from './snapshot/summarize-snapshot.js';

export interface SnapshotInvocation {
  inventories: string[];
  out?: string;
  force: boolean;
}

type Vars = Readonly<Record<string, unknown>>;
const text = textVar;

/**
 * The secrets the site's secrets file holds are masked wherever they show up. The file also holds
 * values that are not secret (the post puts the ingress's host there), so only the values at a key the
 * chart reads as a secret, or that look like a token or a key, are taken from it.
 */
function learnSecretsFile(vars: Vars, masker: SecretMasker): void {
  const path = text(vars, 'secrets_file');
  if (!path || !existsSync(path)) return;
  const learn = (value: unknown, at: string[]): void => {
    if (typeof value === 'string' || typeof value === 'number') {
      if (isSecretAt(at) || looksSecret(String(value))) masker.add(value);
    } else if (Array.isArray(value)) value.forEach((item, index) => learn(item, [...at, String(index)]));
    else if (value && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) learn(item, [...at, key]);
  };
  try {
    learn(parse(readFileSync(path, 'utf8')), []);
  } catch {
    // A secrets file that does not parse is the playbooks' to report; the snapshot never holds the file.
  }
}

const stamp = (now: Date) =>
  now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** `run snapshot -i <site>`: a read-only description of a site, in a folder a sandbox can be seeded from. */
export async function snapshotCommand(invocation: SnapshotInvocation, io: AppIO): Promise<ExitCodeValue> {
  const masker = new SecretMasker();
  const site = await siteForCommand(invocation.inventories, masker, io);
  if (typeof site === 'number') return site;
  const now = new Date();
  const name = text(site.vars, 'site_name') ?? 'site';
  const out = resolve(invocation.out ?? `snapshot-${name}-${stamp(now)}`);
  if (existsSync(out) && !invocation.force) {
    io.stderr.write(`refused: ${out} exists; a snapshot never writes over one (pass --force to replace it)\n`);
    return ExitCode.refused;
  }
  learnSecretsFile(site.vars, masker);
  io.stdout.write(`Reading ${describeSite(site.vars)} (read-only: nothing is written to the site)\n`);
  const taken = await withSiteTools(site, io, async (runner) => {
    try {
      return await takeSnapshot(runner, site.vars, masker, now, io.signal);
    } catch (error) {
      if (error instanceof SnapshotReadError) return { failed: error };
      throw error;
    }
  });
  if ('notStarted' in taken) {
    io.stderr.write(`${masker.mask(taken.notStarted)}\n`);
    return ExitCode.stepFailed;
  }
  if ('failed' in taken) {
    io.stderr.write(`snapshot not written: ${taken.failed.file}: ${masker.mask(taken.failed.message)}\n`);
    return ExitCode.stepFailed;
  }
  let manifest: SnapshotManifest;
  try {
    manifest = await writeSnapshot(
      out,
      taken.files,
      {
        format: 'jhub-runner-snapshot/1',
        taken: now.toISOString(),
        site: {
          name,
          inventories: invocation.inventories.map((path) => resolve(path)),
          namespace: text(site.vars, 'namespace') ?? 'jhub',
          release: text(site.vars, 'release') ?? 'jhub',
        },
        tools: taken.tools,
        absent: taken.absent,
        redacted: taken.redacted,
      },
      invocation.force,
    );
  } catch (error) {
    // A folder that appeared meanwhile is refused; a permission or a full disk is a failure to write. Nothing half-written is left.
    if (error instanceof SnapshotFolderAppeared) {
      io.stderr.write(`refused: ${error.message}\n`);
      return ExitCode.refused;
    }
    io.stderr.write(`snapshot not written: cannot write ${out}: ${(error as Error).message}\n`);
    return ExitCode.cannotWrite;
  }
  io.stdout.write(
    summarizeSnapshot(taken.files, manifest)
      .map((line) => `  ${line}\n`)
      .join(''),
  );
  io.stdout.write(
    `snapshot written to ${out} (${Object.keys(manifest.files).length} files, ${manifest.redacted} secret value(s) left out)\n`,
  );
  return ExitCode.ok;
}
