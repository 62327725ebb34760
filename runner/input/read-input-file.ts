import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { missingPathHint } from './missing-path-hint.js';
import { InputError } from './input-error.js';
import { describeFsError } from './fs-error.js';
import { invalidUtf8Location } from './utf8-location.js';

/** Largest playbook, inventory or extra-vars file (32 MiB): bigger is a mistake, or a device posing as a file. */
export const maxInputFileBytes = 32 * 1024 * 1024;

/** Largest file a step or a backup reads (256 MiB): a backup of many thousand volumes fits many times over. */
export const maxDataFileBytes = 256 * 1024 * 1024;

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Reads up to one byte past the limit, so a file that keeps growing (or a size the kernel does not
 * know) is still caught. The first read is sized by what fstat said, so a small file costs a small
 * buffer rather than a megabyte (and a second for the end-of-file read).
 */
function readBounded(fd: number, limit: number, expected: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const wanted = Math.max(expected - total + 1, 64 * 1024);
    const chunk = Buffer.allocUnsafe(Math.min(wanted, 1024 * 1024, limit + 1 - total));
    const count = readSync(fd, chunk, 0, chunk.length, null);
    if (count === 0) break;
    chunks.push(chunk.subarray(0, count));
    total += count;
    if (total > limit) return undefined;
  }
  return Buffer.concat(chunks, total);
}

/**
 * A file the user gave, as text: only a regular file (a FIFO or a device would hang or never end),
 * at most `limit` bytes, and valid UTF-8 (a bad byte is reported at its line and column, never read
 * as U+FFFD). Opened without blocking, so that a named pipe with no writer is refused rather than waited on.
 */
export function readInputText(path: string, what: string, limit = maxInputFileBytes): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' ? missingPathHint(path) : undefined;
    throw new InputError({
      message: `cannot read ${what} ${path}: ${describeFsError(error)}`,
      ...(hint ? { hint } : {}),
    });
  }
  let bytes: Buffer | undefined;
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw new InputError({ message: `${what} ${path} is ${kindOf(info)}: only a regular file is read` });
    if (info.size > limit)
      throw new InputError({
        message: `${what} ${path} is ${megabytes(info.size)}; the most a file here may be is ${megabytes(limit)}`,
      });
    bytes = readBounded(fd, limit, info.size);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ message: `cannot read ${what} ${path}: ${describeFsError(error)}` });
  } finally {
    closeSync(fd);
  }
  if (!bytes)
    throw new InputError({
      message: `${what} ${path} grew past ${megabytes(limit)} while being read; the most a file here may be is ${megabytes(limit)}`,
    });
  const bad = invalidUtf8Location(bytes);
  if (bad) throw new InputError({ location: { file: path, line: bad.line, col: bad.col }, message: bad.message });
  return bytes.toString('utf8');
}
