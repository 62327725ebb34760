import { accessSync, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../input/input-error.js';
import { maxDataFileBytes, readInputText } from '../input/read-input-file.js';

/**
 * The files steps read, synchronously: a step waits for them anyway, and an awaited read cost four
 * thread-pool round trips, ~10 ms of a dry run's start-up. When actions are not applied (check, dry
 * run), planned writes land in an overlay so that later steps plan against what the earlier ones
 * would have written.
 */
export class FileView {
  private readonly overlay = new Map<string, string>();
  private readonly overlayModes = new Map<string, number>();

  async read(path: string): Promise<string | undefined> {
    const absolute = resolve(path);
    if (this.overlay.has(absolute)) return this.overlay.get(absolute);
    if (!existsSync(absolute)) return undefined;
    try {
      return readInputText(absolute, 'file', maxDataFileBytes);
    } catch (error) {
      // A step's file that cannot be read as text (a FIFO, too large, not UTF-8) fails that step, saying why.
      if (error instanceof InputError) throw new Error(error.message);
      throw error;
    }
  }

  async exists(path: string): Promise<boolean> {
    const absolute = resolve(path);
    if (this.overlay.has(absolute)) return true;
    try {
      accessSync(absolute);
      return true;
    } catch {
      return false;
    }
  }

  async mode(path: string): Promise<number | undefined> {
    const absolute = resolve(path);
    if (this.overlay.has(absolute)) return this.overlayModes.get(absolute);
    try {
      return statSync(absolute).mode & 0o7777;
    } catch {
      return undefined;
    }
  }

  /** Without a mode, the file keeps the one it has (a new file gets 0644), as the write itself would. */
  async recordPlannedWrite(path: string, content: string, mode?: number): Promise<void> {
    const kept = mode ?? (await this.mode(path)) ?? 0o644;
    this.overlay.set(resolve(path), content);
    this.overlayModes.set(resolve(path), kept);
  }
}
