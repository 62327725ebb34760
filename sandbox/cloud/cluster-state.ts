import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseTfstate, addressMatches, resourceValues } from '../support/terraform-state.js';
import { writeStateFile } from '../support/state-file.js';
import { configFile, stateFile, type CloudConfig } from './cloud-config.js';

/** What Kubespray left behind: the control plane it installed on, and the nodes it joined. */
export interface ClusterInstall {
  controlPlaneId: string;
  nodes: string[];
  installedAt: string;
  /** The Kubernetes release installed (kube_version); absent: the toolchain's, as the site started. */
  kubeVersion?: string;
}

export interface ClusterState {
  /** The control-plane instance in the cloud, if any. */
  controlPlane?: { id: string; name: string };
  workers: string[];
  install?: ClusterInstall;
  /** Kubernetes answers only when it was installed on the control plane that exists now. */
  up: boolean;
  /** The address of the cloud's floating IP, if one exists. */
  floatingIp?: string;
}

export const installFile = 'cluster.json';

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Reads the cloud's terraform state and the install record; `cached` re-reads only when a file changed. */
export function clusterStateReader(terraformDir: string, stateDir: string): { read(): ClusterState } {
  let key = '';
  let last: ClusterState = { workers: [], up: false };
  return {
    read() {
      const paths = [join(terraformDir, stateFile), join(terraformDir, configFile), join(stateDir, installFile)];
      const now = paths.map(mtime).join(',');
      if (now === key) return last;
      key = now;
      last = readClusterState(terraformDir, stateDir);
      return last;
    },
  };
}

/** The floating IP's address in terraform's state (an untainted `floatingip`). */
export function floatingIpOf(instances: ReturnType<typeof parseTfstate>): string | undefined {
  const ip = instances.find((instance) => resourceValues(instance)['kind'] === 'floatingip' && !instance.tainted);
  return ip ? String(resourceValues(ip)['address']) : undefined;
}

export function readClusterState(terraformDir: string, stateDir: string): ClusterState {
  const config = readJson<CloudConfig>(join(terraformDir, configFile));
  let instances: ReturnType<typeof parseTfstate> = [];
  try {
    instances = parseTfstate(readFileSync(join(terraformDir, stateFile), 'utf8'));
  } catch {
    instances = [];
  }
  const plane = config?.cluster
    ? instances.find((instance) => instance.address === config.cluster!.control_plane)
    : undefined;
  const controlPlane =
    plane && !plane.tainted
      ? { id: String(plane.attributes['id']), name: String(resourceValues(plane)['name'] ?? 'master') }
      : undefined;
  const workersAddress = config?.cluster?.workers;
  const workers = workersAddress
    ? instances
        .filter((instance) => addressMatches(instance.address, workersAddress) && !instance.tainted)
        .map((instance) => String(resourceValues(instance)['name']))
    : [];
  const install = readJson<ClusterInstall>(join(stateDir, installFile));
  const ip = floatingIpOf(instances);
  return {
    ...(controlPlane ? { controlPlane } : {}),
    workers,
    ...(install ? { install } : {}),
    up: Boolean(controlPlane && install?.controlPlaneId === controlPlane.id),
    ...(ip ? { floatingIp: ip } : {}),
  };
}

export async function writeInstall(stateDir: string, install: ClusterInstall): Promise<void> {
  await writeStateFile(join(stateDir, installFile), `${JSON.stringify(install, null, 2)}\n`);
}
