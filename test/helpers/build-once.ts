import { execFileSync } from 'node:child_process';

/** The CLI tests run the real `bin/run.js`, which needs the compiled output of the current sources. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
