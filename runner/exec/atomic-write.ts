import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Thrown when a no-clobber write finds the file already there; the file is left as it was. */
export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists and is never overwritten`);
    this.name = 'FileExistsError';
  }
}

/**
 * Writes through a temporary file in the same directory and renames it, so readers never see half a file.
 * With `noClobber` the file is linked into place instead, which fails rather than replace an existing file.
 */
export async function writeFileAtomic(path: string, content: string, mode = 0o644, options: { noClobber?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  if (!options.noClobber) return rename(temporary, path);
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** The same rename-into-place write, synchronous, for small state files that must be on disk before the run goes on. */
export function writeFileAtomicSync(path: string, content: string, mode = 0o644): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = openSync(temporary, 'wx', mode);
  try {
    writeSync(handle, content);
    fsyncSync(handle);
  } catch (error) {
    closeSync(handle);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(handle);
  renameSync(temporary, path);
}
