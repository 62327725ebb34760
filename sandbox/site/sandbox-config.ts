import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { unlimitedQuota, type CinderQuota } from '../cloud/cinder-quota.js';
import type { KubeToolchain } from '../kube-binaries.js';
import type { ControlPlanePaths } from '../control-plane/control-plane-binaries.js';
import type { WorkloadBehaviour } from '../kube/workload-behaviour.js';
import type { RawSandbox } from './sandbox-schema.js';
import { registeredPort } from '../support/port-registry.js';
import { snapshotToolchain } from './twin/twin-toolchain.js';

/** The `sandbox:` variable of an inventory, resolved against the inventory's folder. */
export interface SandboxConfig {
  stateDir: string;
  terraformDir: string;
  port: number;
  toolchain: KubeToolchain;
  /** What answers as Kubernetes: the simulator, or the upstream control plane built by npm run build:control-plane. */
  controlPlane: 'simulated' | 'real';
  /** Binaries the operator names instead of the build's. */
  controlPlaneBinaries: ControlPlanePaths;
  certManager: boolean;
  /** The Gateway API's CRDs on every new cluster, as Kubespray's gateway_api_enabled installs them. */
  gatewayApi: boolean;
  /** Which terraform drives the cloud: the real one on PATH (auto, real) or the project's stand-in. */
  terraform: 'auto' | 'real' | 'stand-in';
  /** How the simulated cloud answers: a delay per call, and names of resources it refuses to create. */
  cloud: { latencyMs: number; fail: string[]; loadBalancer: boolean; quota: CinderQuota };
  /** Images the site's registry has besides those its charts name. */
  images: string[];
  /** How workloads behave: how long Jobs run, and which workloads fail. */
  workloads: WorkloadBehaviour;
  seed?: SeedConfig;
  /** A snapshot folder of a real site, whose twin the site is made on first start. */
  fromSnapshot?: string;
  /** Chart archives the chart repository serves besides the sandbox's own charts. */
  charts: string[];
}

export interface SeedConfig {
  users: number;
  servers: number;
  namespace: string;
  /** Of the users, how many (the first) have a volume from the in-tree Cinder provisioner, before CSI. */
  inTreeUsers: number;
  /** Users deleted while their volumes were Retain: Released volumes whose claim is gone. */
  deletedUsers: number;
  /** Users of other namespaces (another hub, a grading service), by namespace. */
  otherNamespaces: Record<string, number>;
  fromBackup?: string;
}

/** Users seeded when `seed.users` is not given. */
export const defaultSeedUsers = 5;

export type { RawSandbox } from './sandbox-schema.js';

/** The site's port: as configured, else one derived from its state folder, so its URLs are known before it starts (and in a dry run). */
export function sandboxPort(raw: RawSandbox, inventoryDir: string): number {
  if (raw.port) return raw.port;
  const stateDir = resolve(inventoryDir, raw.state_dir ?? '.state');
  // Below Linux's ephemeral range (32768 and up), where outgoing connections could hold the port.
  const derived = 20000 + (createHash('sha256').update(stateDir).digest().readUInt32BE(0) % 10000);
  const registry = process.env['JHUB_SANDBOX_PORTS'];
  return registry ? registeredPort(registry, stateDir, derived, 20000, 10000) : derived;
}

export function sandboxConfig(raw: RawSandbox, inventoryDir: string, terraformDir: string): SandboxConfig {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(inventoryDir, path));
  const users = raw.seed === false ? 0 : (raw.seed?.users ?? defaultSeedUsers);
  const seed: SeedConfig | undefined =
    raw.seed === false
      ? undefined
      : {
          users,
          servers: raw.seed?.servers ?? 0,
          namespace: raw.seed?.namespace ?? 'jhub',
          inTreeUsers: Math.min(users, raw.seed?.in_tree_users ?? Math.floor(users / 2)),
          deletedUsers: raw.seed?.deleted_users ?? 0,
          otherNamespaces: raw.seed?.other_namespaces ?? {},
          ...(raw.seed?.from_backup ? { fromBackup: at(raw.seed.from_backup) } : {}),
        };
  return {
    stateDir: at(raw.state_dir ?? '.state'),
    port: sandboxPort(raw, inventoryDir),
    terraformDir: resolve(terraformDir),
    toolchain: raw.toolchain ?? (raw.from_snapshot ? snapshotToolchain(at(raw.from_snapshot)) : 'v33'),
    controlPlane: raw.control_plane ?? 'simulated',
    controlPlaneBinaries: Object.fromEntries(
      Object.entries({
        etcd: raw.control_plane_binaries?.etcd,
        kubeApiserver: raw.control_plane_binaries?.kube_apiserver,
        kubeControllerManager: raw.control_plane_binaries?.kube_controller_manager,
        kubeScheduler: raw.control_plane_binaries?.kube_scheduler,
        kwok: raw.control_plane_binaries?.kwok,
      })
        .filter(([, path]) => path !== undefined)
        .map(([component, path]) => [component, at(path!)]),
    ),
    certManager: raw.cert_manager ?? true,
    gatewayApi: raw.gateway_api ?? false,
    terraform: raw.terraform ?? 'auto',
    cloud: {
      latencyMs: raw.cloud?.latency_ms ?? 0,
      fail: raw.cloud?.fail ?? [],
      loadBalancer: raw.cloud?.load_balancer ?? true,
      quota: { ...unlimitedQuota, ...raw.cloud?.quota },
    },
    images: raw.images ?? [],
    workloads: {
      jobMs: (raw.workloads?.job_seconds ?? 0) * 1000,
      notReady: raw.workloads?.not_ready ?? [],
      failingJobs: raw.workloads?.failing_jobs ?? [],
    },
    ...(seed ? { seed } : {}),
    ...(raw.from_snapshot ? { fromSnapshot: at(raw.from_snapshot) } : {}),
    charts: (raw.charts ?? []).map(at),
  };
}
