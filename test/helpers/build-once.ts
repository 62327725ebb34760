import { execFileSync } from 'node:child_process';

/** The CLI tests run the real `bin/run.js`, which needs the build (compiled sources, validators, bundle) of the current sources. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
