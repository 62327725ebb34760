import { dirname, basename, join, resolve } from 'node:path';
import { closeSync, fsyncSync, mkdirSync, openSync, promises as fs, renameSync, rmSync, writeSync } from 'node:fs';

// node:crypto and fs.promises are reached at the first write, not at start-up: a preview writes nothing.
const randomSuffix = () => process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');

/** Thrown when a no-clobber write finds the file already there; the file is left as it was. */
export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists and is never overwritten`);
    this.name = 'FileExistsError';
  }
}

/** Most links followed from one path, as the kernel's own limit for a lookup. */
const maxLinkHops = 40;

/** The file a path names once its symbolic links are followed: a link is written through, never replaced by a file. */
async function followLinks(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < maxLinkHops; hops += 1) {
    try {
      if (!(await fs.lstat(current)).isSymbolicLink()) return current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    current = resolve(dirname(current), await fs.readlink(current));
  }
  throw Object.assign(new Error(`${path}: too many symbolic links (a loop?)`), { code: 'ELOOP', path });
}

async function currentMode(path: string): Promise<number | undefined> {
  try {
    return (await fs.stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * Writes through a temporary file in the same directory and renames it, so readers never see half a file.
 * A symbolic link is followed, so the file it points to is the one written (as previews read it). Without
 * a mode the file keeps the one it has; a new file gets 0644. With `noClobber` the file is linked into
 * place instead, which fails rather than replace an existing file.
 */
export async function writeFileAtomic(
  linkOrPath: string,
  content: string,
  requestedMode?: number,
  options: { noClobber?: boolean } = {},
): Promise<void> {
  const path = await followLinks(linkOrPath);
  const mode = requestedMode ?? (await currentMode(path)) ?? 0o644;
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${randomSuffix()}.tmp`);
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  if (!options.noClobber) return fs.rename(temporary, path);
  try {
    await fs.link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
    throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
}

/**
 * The same rename-into-place write, synchronous, for small state files that must be in place before the
 * run goes on. `durable: false` skips the fsync, for a record that only has to outlive the runner's
 * process (a kill), not the machine (after a crash, what it records has ended too).
 */
export function writeFileAtomicSync(
  path: string,
  content: string,
  mode = 0o644,
  options: { durable?: boolean } = {},
): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${randomSuffix()}.tmp`);
  const handle = openSync(temporary, 'wx', mode);
  try {
    writeSync(handle, content);
    if (options.durable !== false) fsyncSync(handle);
  } catch (error) {
    closeSync(handle);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(handle);
  renameSync(temporary, path);
}
