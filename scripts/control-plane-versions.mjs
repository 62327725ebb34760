// @ts-check
// The upstream releases the sandbox's real control plane is built from (sandbox/control-plane/versions.json), and where their binaries are kept.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** @type {{ kubernetes: string, etcd: string, kwok: string }} */
export const controlPlaneVersions = JSON.parse(
  readFileSync(new URL('../sandbox/control-plane/versions.json', import.meta.url), 'utf8'),
);

/** The folder one component's build lives in (as sandbox/control-plane/control-plane-binaries.ts finds it): outside any checkout, so every clone on the machine shares it. */
export function controlPlaneCache(/** @type {string} */ name, /** @type {string} */ version) {
  const cacheHome = process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  const root = process.env['JHUB_CONTROL_PLANE_CACHE'] ?? join(cacheHome, 'jhub-runner', 'control-plane');
  return join(root, `${name}-${version}`);
}
