import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A saved `kubectl get -o json` or `-o yaml` list, as a site's backup holds it. */
export function parseListFile(text: string): unknown {
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // YAML's flow style starts the same way.
    }
  }
  return parse(text, { version: '1.1', maxAliasCount: 1000 });
}

/** A backup folder's file of one kind: the runner's JSON, else the seed's hand-taken YAML. */
export function backupListPath(dir: string, kind: 'pv' | 'pvc'): string {
  const json = join(dir, `${kind}.json`);
  const yaml = join(dir, `${kind}.yaml`);
  return !existsSync(json) && existsSync(yaml) ? yaml : json;
}
