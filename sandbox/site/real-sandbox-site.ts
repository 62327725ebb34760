import { join } from 'node:path';
import { memoryVolumeBackend, type VolumeBackend } from '../cloud/volume-backend.js';
import { clusterStateReader } from '../cloud/cluster-state.js';
import type { TerraformChoice } from '../cloud/find-terraform.js';
import type { OpenStackApi } from '../cloud/openstack-api.js';
import type { ControlPlaneBinaries } from '../control-plane/control-plane-binaries.js';
import { startRealSite, type RealSite } from '../control-plane/real-site.js';
import { tokenKubeconfig } from '../control-plane/real-control-plane.js';
import { seedRealSite } from '../control-plane/real-site-seed.js';
import { ObjectStore } from '../kube/object-store.js';
import { packageRoot } from '../support/package-root.js';
import { writeStateFile } from '../support/state-file.js';
import type { ToolRunner } from '../support/tool-runner.js';
import { publishCharts } from './chart-repository.js';
import { siteRegistry } from './site-images.js';
import type { SandboxConfig } from './sandbox-config.js';
import { SandboxSetupError, type SandboxSite } from './sandbox-site.js';
import { startSiteCloud } from './site-cloud.js';
import type { SiteJournal } from './site-journal.js';
import type { SiteObjects } from './site-summary.js';

interface RealStart {
  config: SandboxConfig;
  runner: ToolRunner;
  env: Record<string, string>;
  terraform: TerraformChoice;
  journal: SiteJournal;
  firstStart: boolean;
  seeded: string[];
}

/**
 * The sandbox site on the real control plane: the same cloud, terraform and Kubespray stand-in as the
 * simulated one, with Kubernetes itself the upstream release (`sandbox.control_plane: real`).
 */
export async function startRealSandboxSite(start: RealStart, binaries: ControlPlaneBinaries): Promise<SandboxSite> {
  const { config, journal } = start;
  // Kubespray's stand-in starts from the release the control plane really runs.
  start.env['JHUB_SANDBOX_KUBE_VERSION'] = binaries.versions.kubernetes;
  const saved = journal.load();
  const volumes = memoryVolumeBackend([...saved.volumes.values()], [...saved.snapshots.values()]);
  const cluster = clusterStateReader(config.terraformDir, config.stateDir);
  const chartsDir = join(config.stateDir, 'charts');
  const site = await startRealSite({
    binaries,
    stateDir: config.stateDir,
    terraformDir: config.terraformDir,
    port: config.port,
    volumes,
    certManager: config.certManager,
    gatewayApi: config.gatewayApi,
    chartsDir,
    registry: siteRegistry(config.images),
    ...(config.cloud.loadBalancer ? { loadBalancerAddress: () => cluster.read().floatingIp } : {}),
  });
  let openstack: OpenStackApi | undefined;
  try {
    openstack = await startSiteCloud(config, start.env, volumes);
    const parts = { site, volumes, cluster, chartsDir, openstack, clusterId: saved.clusterId };
    return await withCloud(start, parts, binaries.versions.kubernetes);
  } catch (error) {
    await Promise.all([site.stop(), openstack?.close()]);
    throw error;
  }
}

interface RunningParts {
  site: RealSite;
  volumes: VolumeBackend;
  cluster: ReturnType<typeof clusterStateReader>;
  chartsDir: string;
  openstack: OpenStackApi;
  clusterId: string | undefined;
}

/** The rest of the start once the control plane's gate and the cloud answer: kubeconfig, charts, seeding, journal. */
async function withCloud(start: RealStart, parts: RunningParts, kubernetes: string): Promise<SandboxSite> {
  const { config, runner, env, journal } = start;
  const { site, volumes, cluster, chartsDir, openstack, clusterId } = parts;
  // kubectl keys its discovery cache by host and port; the site's own cache is never another's.
  env['KUBECACHEDIR'] = join(config.stateDir, 'kube-cache');
  await writeStateFile(env['KUBECONFIG']!, tokenKubeconfig(site.url, site.caPem, 'sandbox', site.adminToken), 0o600);
  const chartRepoUrl = `http://127.0.0.1:${new URL(site.url).port}/charts/`;
  await publishCharts(runner, env, join(packageRoot(), 'sandbox', 'charts'), chartsDir, chartRepoUrl, config.charts);

  const state = cluster.read();
  if (start.firstStart && config.seed && state.up && (await site.ready())) {
    if (config.seed.fromBackup)
      throw new SandboxSetupError('sandbox.seed.from_backup is not yet supported with sandbox.control_plane: real');
    start.seeded.push(
      ...(await seedRealSite(
        { http: site.http, types: site.types, volumes, workers: state.install?.nodes.slice(1) ?? [] },
        config.seed,
      )),
    );
  }
  const empty = new ObjectStore();
  await journal.compact(clusterId, empty, volumes);
  journal.follow(empty, volumes);

  const kinds = {
    PersistentVolume: '',
    PersistentVolumeClaim: '',
    Pod: 'labelSelector=component%3Dsingleuser-server',
    Service: '',
    Secret: 'labelSelector=owner%3Dhelm',
    Node: '',
  } as const;
  return {
    controlPlane: `real control plane, kubernetes ${kubernetes}`,
    chartRepoUrl,
    apiWrites: () => site.apiWrites(),
    async objects(): Promise<SiteObjects> {
      const lists = new Map<string, any[]>();
      if (cluster.read().up && (await site.ready()))
        for (const [kind, query] of Object.entries(kinds))
          lists.set(
            kind,
            await site.http.list(
              site.types.find((type) => type.kind === kind)!,
              query,
            ),
          );
      return { list: (kind) => lists.get(kind) ?? [], volumes };
    },
    openstack,
    terraform: start.terraform,
    stateDir: config.stateDir,
    terraformDir: config.terraformDir,
    env,
    seeded: start.seeded,
    async stop() {
      await Promise.all([site.stop(), openstack.close()]);
    },
  };
}
