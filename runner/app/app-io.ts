import type { ProcessRunner } from '../exec/exec-result.js';

/** Everything the app touches outside itself, so tests can give it a counting runner and string streams. */
export interface AppIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  runner: ProcessRunner;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  /** Asks the person at the terminal; absent when nobody can answer (no TTY), so destruction needs --yes. */
  ask?: (question: string) => Promise<string>;
  /** Registers synchronous closing work (the journal's end, the lock) for when the user quits at once. */
  atForcedExit?: (work: () => void) => () => void;
  /** How the user started the runner (`npx run`, `node bin/run.js`), for the commands the run suggests. */
  command?: string;
}
