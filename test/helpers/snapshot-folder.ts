import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.js';

/** A copy of a snapshot folder with some files changed and the manifest's digests made to match, as another site's snapshot would be. */
export async function editedSnapshot(dir: string, edits: Record<string, (value: any) => any>): Promise<string> {
  const copy = `${await tempDir()}/snapshot`;
  cpSync(dir, copy, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8'));
  for (const [file, edit] of Object.entries(edits)) {
    const text = `${JSON.stringify(edit(JSON.parse(readFileSync(join(copy, file), 'utf8'))), null, 2)}\n`;
    writeFileSync(join(copy, file), text);
    manifest.files[file] = createHash('sha256').update(text).digest('hex');
  }
  writeFileSync(join(copy, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return copy;
}
