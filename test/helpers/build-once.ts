import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourcesHash, stampFile } from '../../scripts/sources-hash.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The CLI tests run the real `bin/run.js`, which needs the build (compiled sources, validators,
 * bundle) of the current sources: made once per change of the sources, not once per invocation.
 */
export default function setup(): () => void {
  // One port registry for every site this test run starts, in any worker (sandbox/support/port-registry.ts).
  const ports = mkdtempSync(join(tmpdir(), 'jhub-ports-'));
  process.env['JHUB_SANDBOX_PORTS'] = ports;
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== sourcesHash())
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: root });
  return () => rmSync(ports, { recursive: true, force: true });
}
