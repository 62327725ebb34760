import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** What the folder holds besides the files: when, which site, which tools, and each file's digest. */
export interface SnapshotManifest {
  format: 'jhub-runner-snapshot/1';
  taken: string;
  site: { name: string; inventories: string[]; namespace: string; release: string };
  tools: Record<string, string>;
  /** Files the site had nothing for (no release, no cert-manager), and why. */
  absent: Record<string, string>;
  redacted: number;
  /** sha256 of each file, as written. */
  files: Record<string, string>;
}

export const manifestFile = 'manifest.json';

/** A folder took the snapshot's name while the site was read: it is left as it is. */
export class SnapshotFolderAppeared extends Error {
  constructor(readonly path: string) {
    super(`${path} appeared while the site was read; pass --force to replace it`);
    this.name = 'SnapshotFolderAppeared';
  }
}

/**
 * Writes the snapshot beside its final place and renames it there, so a folder named as a snapshot is
 * always whole; only the operator reads it (0700, files 0600). An existing folder is replaced only
 * when asked, and rename refuses a folder that appeared meanwhile.
 */
export async function writeSnapshot(
  out: string,
  files: Map<string, unknown>,
  manifest: Omit<SnapshotManifest, 'files'>,
  replace: boolean,
): Promise<SnapshotManifest> {
  await fs.mkdir(dirname(out), { recursive: true });
  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  await fs.rm(partial, { recursive: true, force: true });
  await fs.mkdir(partial, { mode: 0o700 });
  const digests: Record<string, string> = {};
  try {
    for (const [file, value] of files) {
      const text = `${JSON.stringify(value, null, 2)}\n`;
      await fs.mkdir(join(partial, dirname(file)), { recursive: true, mode: 0o700 });
      await fs.writeFile(join(partial, file), text, { mode: 0o600 });
      digests[file] = createHash('sha256').update(text).digest('hex');
    }
    const complete: SnapshotManifest = { ...manifest, files: digests };
    await fs.writeFile(join(partial, manifestFile), `${JSON.stringify(complete, null, 2)}\n`, { mode: 0o600 });
    const old = join(dirname(out), `.${basename(out)}.replaced-${process.pid}`);
    const replaced =
      replace &&
      (await fs.rename(out, old).then(
        () => true,
        () => false,
      ));
    await fs.rename(partial, out).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOTEMPTY' || error.code === 'EEXIST' ? new SnapshotFolderAppeared(out) : error;
    });
    if (replaced) await fs.rm(old, { recursive: true, force: true });
    return complete;
  } catch (error) {
    await fs.rm(partial, { recursive: true, force: true });
    throw error;
  }
}
