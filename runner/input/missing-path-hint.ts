import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { didYouMean } from './did-you-mean.js';

/** For a path that does not exist: where it was looked for (when given relative), and the closest name beside it. */
export function missingPathHint(path: string, cwd: string = process.cwd()): string | undefined {
  const parts: string[] = [];
  const parent = dirname(path);
  let entries: string[] = [];
  try {
    entries = readdirSync(resolve(cwd, parent));
  } catch {
    // The folder is missing too: nothing beside it to suggest.
  }
  const closest = didYouMean(basename(path), entries);
  if (closest)
    parts.push(`did you mean '${parent === '.' && !path.startsWith('./') ? closest : join(parent, closest)}'?`);
  if (!isAbsolute(path)) parts.push(`looked for ${resolve(cwd, path)}, relative to the current folder`);
  return parts.length ? parts.join('; ') : undefined;
}
