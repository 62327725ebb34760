import { writeSync } from 'node:fs';
import { childGroups } from '../exec/child-groups.js';
import { ExitCode } from '../exit-codes.js';

/** npm (`npx run`) forwards to the runner the terminal's Ctrl-C it also got: a second one this soon is that copy. */
export const forwardedCopyMs = 500;

export interface Interrupts {
  signal: AbortSignal;
  /** Work that must still happen when the user quits at once (a second Ctrl-C); synchronous, as the process exits right after. */
  atForcedExit(work: () => void): () => void;
  /** What a Ctrl-C does, for one the terminal's prompt read as a key (or the end of its input) rather than a signal. */
  interrupt(): void;
  dispose(): void;
}

/**
 * The first Ctrl-C, SIGTERM or SIGHUP stops the running step: its tool's group gets TERM, then KILL
 * after a grace, and the run ends with its recap and exit 130. A second one quits at once: every
 * tool's group is killed, the registered closing work done, and the process exits 130.
 */
export function watchInterrupts(stderrFd: number): Interrupts {
  // Straight to the file descriptor: the live task list holds back what is written to process.stderr while it draws.
  const say = (text: string) => {
    try {
      writeSync(stderrFd, text);
    } catch {
      // A closed terminal has nobody to tell.
    }
  };
  const controller = new AbortController();
  const closing = new Set<() => void>();
  let first: number | undefined;
  const onSignal = () => {
    const now = Date.now();
    if (first === undefined) {
      first = now;
      say('\ninterrupted: stopping the current step (press Ctrl-C again to quit at once)\n');
      controller.abort();
      return;
    }
    if (now - first < forwardedCopyMs) return;
    childGroups.signalAll('SIGKILL');
    for (const work of closing) {
      try {
        work();
      } catch {
        // Quitting at once: what can be closed is closed.
      }
    }
    say('quit at once: the running tool was killed\n');
    process.exit(ExitCode.interrupted);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const name of signals) process.on(name, onSignal);
  return {
    signal: controller.signal,
    atForcedExit(work) {
      closing.add(work);
      return () => closing.delete(work);
    },
    interrupt: onSignal,
    dispose() {
      for (const name of signals) process.off(name, onSignal);
    },
  };
}
