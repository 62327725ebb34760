import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A run's private folder for what tools write for a later step (saved plans, which may hold variable values): made on first use, 0700, removed at the end. */
export class ScratchDir {
  private dir: string | undefined;

  path(name: string): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'jhub-runner-'));
    return join(this.dir, name);
  }

  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
