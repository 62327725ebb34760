import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a diff too long to print is kept in full, for the person to read; secrets are already masked in it. */
export interface DiffFiles {
  /** Writes the text, returning its path, or undefined when it could not be written. */
  save(label: string, text: string): string | undefined;
}

/** One private (0700) folder per run under the system's temporary folder, made when the first diff needs it. */
export function tempDiffFiles(root = tmpdir()): DiffFiles {
  let dir: string | undefined;
  const used = new Set<string>();
  return {
    save(label, text) {
      try {
        dir ??= mkdtempSync(join(root, 'jhub-run-diffs-'));
        const base =
          label
            .replace(/[^A-Za-z0-9._-]+/g, '-')
            .replace(/^-+|-+$/g, '')
            .slice(0, 80) || 'diff';
        let name = `${base}.diff`;
        for (let n = 2; used.has(name); n++) name = `${base}-${n}.diff`;
        used.add(name);
        const path = join(dir, name);
        writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600, flag: 'wx' });
        return path;
      } catch {
        return undefined;
      }
    },
  };
}
