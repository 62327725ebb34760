import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from './temp-dir.js';

/** A point where the simulated site stops until the test releases it (sandbox/support/hold-point.ts), as the environment a run is started with. */
export interface Held {
  env: { JHUB_SANDBOX_HOLD: string; JHUB_SANDBOX_HOLD_DIR: string };
  /** Whether a caller has arrived at the point and is waiting there. */
  reached(): boolean;
  /** Resolves once a caller waits at the point; rejects if `gaveUp` says nothing will arrive any more. */
  arrival(gaveUp?: () => string | undefined): Promise<void>;
  /** The processes that arrived and waited. */
  holders(): number[];
  /** With `tool-start`: every tool the runner started, as `name argv...`, in order. */
  starts(): string[];
  release(): void;
}

const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

/**
 * Holds `point` (`cloud-create`, `cloud-delete`, `tool-start`, `kube-write:<METHOD> <namespace>/<plural>`)
 * once `after` calls of it have passed: the next caller, and any after it, wait until released.
 */
export function holdAt(point: string, after = 0): Held {
  const dir = tempDirSync('hold-');
  const reached = () => existsSync(join(dir, 'reached'));
  return {
    env: { JHUB_SANDBOX_HOLD: `${point}@${after}`, JHUB_SANDBOX_HOLD_DIR: dir },
    reached,
    async arrival(gaveUp) {
      while (!reached()) {
        const why = gaveUp?.();
        if (why) throw new Error(`nothing arrived at ${point}: ${why}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    holders: () => lines(join(dir, 'reached')).map((line) => (JSON.parse(line) as { pid: number }).pid),
    starts: () => lines(join(dir, 'starts')).map((line) => line.trim()),
    release: () => writeFileSync(join(dir, 'release'), ''),
  };
}
