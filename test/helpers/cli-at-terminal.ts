import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

/**
 * Starts the CLI with `args` in a pseudo-terminal (util-linux script), as a person at a terminal
 * would, outside CI; its stdout is the screen and its stdin the keyboard.
 */
export function cliAtTerminal(args: string[]): ResultPromise<{ reject: false }> {
  // script runs its command through the shell: the terminal gets a size first, as a real one has.
  const command = `stty cols 150 rows 50 && exec ${[process.execPath, bin, ...args].map((part) => `'${part}'`).join(' ')}`;
  const { CI: _ci, ...env } = process.env;
  return execa('script', ['-qfec', command, '/dev/null'], {
    reject: false,
    env: { ...env, TERM: 'xterm-256color', NO_COLOR: '1' },
    extendEnv: false,
  });
}
