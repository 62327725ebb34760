import { cp, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { tempDir } from './temp-dir.js';

const sandboxInventory = fileURLToPath(new URL('../../inventory/sandbox', import.meta.url));

/** A private copy of inventory/sandbox (no state), with its `sandbox:` settings and some variables changed, so tests never share a site. */
export async function sandboxSiteCopy(
  sandbox: Record<string, unknown>,
  vars: Record<string, unknown> = {},
): Promise<string> {
  const dir = `${await tempDir()}/site`;
  await cp(sandboxInventory, dir, {
    recursive: true,
    filter: (source) => !/\.state|terraform\.tfstate|\.terraform$/.test(source),
  });
  const site = parse(await readFile(`${dir}/site.yml`, 'utf8')) as Record<string, unknown>;
  Object.assign(site, vars);
  site['sandbox'] = { ...(site['sandbox'] as object), ...sandbox };
  await writeFile(`${dir}/site.yml`, stringify(site));
  return dir;
}
