import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourcesHash, stampFile } from '../../scripts/sources-hash.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The CLI tests run the real `bin/run.js`, which needs the build (compiled sources, validators,
 * bundle) of the current sources: made once per change of the sources, not once per invocation.
 */
export default function setup(): void {
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === sourcesHash()) return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: root });
}
