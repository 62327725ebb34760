import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the package this code ships in (its package.json and sandbox/charts), from the sources, dist/ or the bundle. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sandbox', 'charts'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package root above ${from}`);
  }
}
