import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * How a backup is written: JSON, kubectl's own format, which reads back ten times faster than YAML
 * at hub scale and has no YAML 1.1 ambiguities; indented so that people can read it.
 */
export function kubeListText(items: object[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 2)}\n`;
}

/** A saved kubectl list, JSON or YAML (`kubectl get -o yaml`, as the seed saves it); throws on text that is neither. */
export function parseKubeList(text: string): unknown {
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // YAML flow style starts the same way; the YAML parser reads it or says why not.
    }
  }
  return parse(text, { version: '1.1' });
}

/** The file of a backup folder that holds `kind`: JSON as the runner writes it, else the seed's hand-made YAML. */
export function backupFile(dir: string, kind: 'pv' | 'pvc'): string {
  const json = join(dir, `${kind}.json`);
  const yaml = join(dir, `${kind}.yaml`);
  return !existsSync(json) && existsSync(yaml) ? yaml : json;
}
