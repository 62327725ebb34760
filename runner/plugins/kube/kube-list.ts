import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { floatCoreTag, floatYaml11Tag, intCoreTag, intYaml11Tag, load, NOT_RESOLVED, YAML11_SCHEMA } from 'js-yaml';
import { parse } from 'yaml';
import { PlanError, PlanRefusal } from '../../plugin-contract/plan-error.js';
import { loadListByItems } from './kube-list-yaml.js';
import { maxAliasCount, parseWithinBounds } from '../../input/yaml-bounds.js';

/**
 * How a backup is written: JSON, kubectl's own format, which reads back ten times faster than YAML
 * at hub scale and has no YAML 1.1 ambiguities; indented so that people can read it.
 */
export function kubeListText(items: object[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 2)}\n`;
}

/**
 * Plain scalars as kubectl's go-yaml wrote them: YAML 1.1, plus the decimal forms Go's number parsing
 * also reads (`1e3`, `08`); a string that would read as a number was quoted when it was written.
 */
const kubectlYaml = YAML11_SCHEMA.withTags(
  {
    ...intYaml11Tag,
    resolve: (source, explicit, tag) => {
      const yaml11 = intYaml11Tag.resolve(source, explicit, tag);
      return yaml11 !== NOT_RESOLVED || /^[-+]?0[oO]/.test(source) ? yaml11 : intCoreTag.resolve(source, explicit, tag);
    },
  },
  {
    ...floatYaml11Tag,
    resolve: (source, explicit, tag) => {
      const yaml11 = floatYaml11Tag.resolve(source, explicit, tag);
      return yaml11 !== NOT_RESOLVED ? yaml11 : floatCoreTag.resolve(source, explicit, tag);
    },
  },
);

/** A saved kubectl list, JSON or YAML (`kubectl get -o yaml`, as the seed saves it); throws on text that is neither. */
export function parseKubeList(text: string): unknown {
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // YAML flow style starts the same way; the YAML parser reads it or says why not.
    }
  }
  try {
    // js-yaml reads a 20 MB list in seconds where yaml's Document takes half a minute; an alias, or
    // anything it refuses, goes to yaml, within its bounds and with its error messages.
    const loadKubectlYaml = (part: string): unknown => load(part, { schema: kubectlYaml, maxAliases: 0 });
    return loadListByItems(text, loadKubectlYaml) ?? loadKubectlYaml(text);
  } catch {
    return parseWithinBounds(text, () => parse(text, { version: '1.1', maxAliasCount }));
  }
}

/** The file of a backup folder that holds `kind`: JSON as the runner writes it, else the seed's hand-made YAML. */
export function backupFile(dir: string, kind: 'pv' | 'pvc'): string {
  const json = join(dir, `${kind}.json`);
  const yaml = join(dir, `${kind}.yaml`);
  return !existsSync(json) && existsSync(yaml) ? yaml : json;
}

/** One file of a backup folder, as read by a probe. */
export interface BackupText {
  path: string;
  text: string;
}

/** The backup file of one kind a probe finds in `dir`: the runner's JSON, else the seed's hand-taken YAML. */
export async function readBackupFile(
  read: (path: string) => Promise<string | undefined>,
  dir: string,
  kind: 'pv' | 'pvc',
): Promise<BackupText | undefined> {
  const found: BackupText[] = [];
  for (const path of [join(dir, `${kind}.json`), join(dir, `${kind}.yaml`)]) {
    const text = await read(path);
    if (text !== undefined) found.push({ path, text });
  }
  const [json, yaml] = found;
  // Both forms in one folder must be one backup: which claims, on which volumes, on which cloud volumes.
  if (json && yaml && backupIdentity(json) !== backupIdentity(yaml))
    throw new PlanRefusal(
      `${dir} holds both ${basename(json.path)} and ${basename(yaml.path)}, and they are different backups; move the one that is not to be used out of the folder`,
    );
  return json;
}

/** What a backup file says about each claim and volume, without the server's bookkeeping. */
function backupIdentity(file: BackupText): string {
  const items = kubeListItems(file.path, file.text) as Record<string, any>[];
  return items
    .map((item) =>
      [
        item['metadata']?.namespace,
        item['metadata']?.name,
        item['spec']?.volumeName,
        item['spec']?.claimRef?.namespace,
        item['spec']?.claimRef?.name,
        item['spec']?.csi?.volumeHandle ?? item['spec']?.cinder?.volumeID,
      ].join('|'),
    )
    .sort()
    .join('\n');
}

/** The items of a saved kubectl list, or a PlanError naming the file and, with `advice`, what to do. */
export function kubeListItems(path: string, text: string | undefined, advice = ''): any[] {
  if (text === undefined) throw new PlanError(`${path} does not exist${advice}`);
  let document: any;
  try {
    document = parseKubeList(text);
  } catch (error) {
    throw new PlanError(`${path} is not valid JSON or YAML (${(error as Error).message.split('\n')[0]})${advice}`);
  }
  if (!document || !Array.isArray(document.items))
    throw new PlanError(`${path} is not a kubectl list (no items)${advice}`);
  return document.items;
}

/**
 * A file of this run's backup folder that a later step reads: gone (deleted, moved, a resumed run on
 * another machine), it refuses the step, for what it protected cannot be shown any more.
 */
export function backupListItems(path: string, text: string | undefined): any[] {
  if (text === undefined)
    throw new PlanRefusal(
      `${path} does not exist: the backup folder this run took is gone or was moved. Nothing was destroyed. Put the folder back, or start again with a new backup (a new run_id)`,
    );
  return kubeListItems(path, text);
}
