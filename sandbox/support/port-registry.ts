import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where many sites run side by side (a test run), JHUB_SANDBOX_PORTS names a folder shared by all of
 * them: each site claims its port there once (mkdir is atomic), keeps it for every later run, and a
 * site whose derived port another site claimed takes the next free one. Without it, two sites whose
 * state folders hash to the same port could not run at once.
 */
export function registeredPort(
  registry: string,
  stateDir: string,
  preferred: number,
  low: number,
  span: number,
): number {
  mkdirSync(registry, { recursive: true });
  for (let step = 0; step < span; step += 1) {
    const port = low + ((preferred - low + step) % span);
    const claim = join(registry, String(port));
    try {
      mkdirSync(claim);
      writeFileSync(join(claim, 'site'), stateDir);
      return port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = '';
      try {
        holder = readFileSync(join(claim, 'site'), 'utf8');
      } catch {
        // Being claimed this instant by another site: not this one's.
      }
      if (holder === stateDir) return port;
    }
  }
  throw new Error(`no free port left in ${registry}`);
}
