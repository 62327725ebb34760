import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { KubeToolchain } from '../kube-binaries.js';

/** The `sandbox:` variable of an inventory, resolved against the inventory's folder. */
export interface SandboxConfig {
  stateDir: string;
  terraformDir: string;
  port: number;
  toolchain: KubeToolchain;
  certManager: boolean;
  seed?: { users: number; servers: number; namespace: string; fromBackup?: string };
}

/** Users seeded when `seed.users` is not given. */
export const defaultSeedUsers = 5;

export interface RawSandbox {
  state_dir?: string;
  port?: number;
  toolchain?: KubeToolchain;
  cert_manager?: boolean;
  seed?: { users?: number; servers?: number; namespace?: string; from_backup?: string } | false;
}

/** The site's port: as configured, else one derived from its state folder, so its URLs are known before it starts (and in a dry run). */
export function sandboxPort(raw: RawSandbox, inventoryDir: string): number {
  if (raw.port) return raw.port;
  const stateDir = resolve(inventoryDir, raw.state_dir ?? '.state');
  // Below Linux's ephemeral range (32768 and up), where outgoing connections could hold the port.
  return 20000 + (createHash('sha256').update(stateDir).digest().readUInt32BE(0) % 10000);
}

export function sandboxConfig(raw: RawSandbox, inventoryDir: string, terraformDir: string): SandboxConfig {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(inventoryDir, path));
  const seed = raw.seed === false ? undefined : { users: raw.seed?.users ?? defaultSeedUsers, servers: raw.seed?.servers ?? 0, namespace: raw.seed?.namespace ?? 'jhub', ...(raw.seed?.from_backup ? { fromBackup: at(raw.seed.from_backup) } : {}) };
  return {
    stateDir: at(raw.state_dir ?? '.state'),
    port: sandboxPort(raw, inventoryDir),
    terraformDir: resolve(terraformDir),
    toolchain: raw.toolchain ?? 'v33',
    certManager: raw.cert_manager ?? true,
    ...(seed ? { seed } : {}),
  };
}
