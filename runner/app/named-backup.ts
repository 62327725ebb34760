import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../input/input-error.js';
import { maxDataFileBytes, readInputText } from '../input/read-input-file.js';
import { backupFile, parseKubeList } from '../plugins/kube/kube-list.js';
import { listSome, uncoveredClaims, volumesOfNamespace } from '../plugins/kube/namespace-volumes.js';
import type { VerifiedBackup } from './destruction-guard.js';
import { backupFiles } from './backup-witness.js';

async function items(path: string): Promise<any[]> {
  if (!existsSync(path))
    throw new InputError({
      message: `--backup: ${path} does not exist; a backup folder holds pvc.json and pv.json (or the seed's pvc.yaml and pv.yaml)`,
    });
  const text = readInputText(path, '--backup file', maxDataFileBytes);
  let document: any;
  try {
    document = parseKubeList(text);
  } catch (error) {
    throw new InputError({
      message: `--backup: ${path} is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`,
    });
  }
  if (!document || !Array.isArray(document.items))
    throw new InputError({ message: `--backup: ${path} is not a kubectl list (no items)` });
  return document.items;
}

/** A backup named on the command line is checked like one taken in the run: it must cover every claim it holds. */
export async function verifyNamedBackup(dir: string): Promise<VerifiedBackup[]> {
  const folder = resolve(dir);
  const claims = await items(backupFile(folder, 'pvc'));
  const volumes = await items(backupFile(folder, 'pv'));
  const namespaces = [...new Set(claims.map((claim) => String(claim.metadata?.namespace ?? '')))].filter(Boolean);
  if (namespaces.length === 0)
    throw new InputError({ message: `--backup: ${backupFile(folder, 'pvc')} holds no claims, so it protects nothing` });
  for (const namespace of namespaces) {
    const missing = uncoveredClaims(
      claims.filter((claim) => claim.metadata?.namespace === namespace),
      volumesOfNamespace(volumes, namespace),
    );
    if (missing.length)
      throw new InputError({
        message: `--backup: ${folder} does not cover ${missing.length} bound claim(s) of ${namespace}: ${listSome(missing)}`,
      });
  }
  // What the folder holds now: a destruction later checks it still does, and still matches the cluster.
  const files = backupFiles(folder);
  return namespaces.map((namespace) => ({ dir: folder, namespace, files }));
}
