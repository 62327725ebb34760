import { accessSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

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
    try {
      return readFileSync(absolute, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
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

  recordPlannedWrite(path: string, content: string, mode = 0o644): void {
    this.overlay.set(resolve(path), content);
    this.overlayModes.set(resolve(path), mode);
  }
}
