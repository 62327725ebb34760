import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeStateFile } from '../support/state-file.js';
import type { ToolRunner } from '../support/tool-runner.js';

async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (path: string): Promise<void> => {
    for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else hash.update(full.slice(dir.length)).update(await readFile(full));
    }
  };
  await walk(dir);
  return hash.digest('hex');
}

/** Packages the sandbox's charts with the real helm and indexes them for `url`; redone only when a chart or the URL changes. */
export async function publishCharts(
  runner: ToolRunner,
  env: Record<string, string>,
  sourceDir: string,
  repoDir: string,
  url: string,
  archives: string[] = [],
): Promise<void> {
  const archiveHashes = await Promise.all(
    archives.map(async (archive) =>
      createHash('sha256')
        .update(await readFile(archive))
        .digest('hex'),
    ),
  );
  const stamp = `${await treeHash(sourceDir)} ${url} ${archiveHashes.join(' ')}`;
  const stampFile = join(repoDir, '.published');
  try {
    if ((await readFile(stampFile, 'utf8')) === stamp && (await stat(join(repoDir, 'index.yaml'))).isFile()) return;
  } catch {
    // Not published yet.
  }
  await rm(repoDir, { recursive: true, force: true });
  await mkdir(repoDir, { recursive: true });
  for (const chart of await readdir(sourceDir)) {
    const packaged = await runner.run({
      argv: ['helm', 'package', join(sourceDir, chart), '--destination', repoDir],
      env,
    });
    if (packaged.exitCode !== 0) throw new Error(`helm package ${chart} failed: ${packaged.stderr}`);
  }
  for (const archive of archives) await copyFile(archive, join(repoDir, basename(archive)));
  const indexed = await runner.run({ argv: ['helm', 'repo', 'index', repoDir, '--url', url], env });
  if (indexed.exitCode !== 0) throw new Error(`helm repo index failed: ${indexed.stderr}`);
  await writeStateFile(stampFile, stamp);
}
