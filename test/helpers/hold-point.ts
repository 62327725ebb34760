import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A point where the simulated site stops until the test releases it (sandbox/support/hold-point.ts), as the environment a tool is started with. */
export interface Held {
  env: { JHUB_SANDBOX_HOLD: string; JHUB_SANDBOX_HOLD_DIR: string };
  /** Whether a caller has arrived at the point and is waiting there. */
  reached(): boolean;
  /** Resolves once a caller waits at the point; rejects if `gaveUp` says nothing will arrive any more. */
  arrival(gaveUp?: () => string | undefined): Promise<void>;
  release(): void;
}

/** Holds the `n`+1-th call of `point` (`cloud-create`, `cloud-delete`) once `n` have completed; later ones wait too. */
export function holdAt(point: string, after = 0): Held {
  const dir = mkdtempSync(join(tmpdir(), 'hold-'));
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
    release: () => writeFileSync(join(dir, 'release'), ''),
  };
}
