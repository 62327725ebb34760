import { createHash } from 'node:crypto';
import { packageRoot } from '../support/package-root.js';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { pathExists } from '../path-exists.js';
import { writeStateFile } from '../support/state-file.js';
import { join } from 'node:path';
import type { ToolRunner } from '../support/tool-runner.js';
import { memoryVolumeBackend } from '../cloud/volume-backend.js';
import {
  kubeBinaries,
  kubernetesVersion,
  kubeToolchains,
  servedVersion,
  type KubeToolchain,
} from '../kube-binaries.js';
import { siteRegistry } from './site-images.js';
import { startKubeApiServer, type KubeApiServer } from '../kube/api-server.js';
import { writeKubeconfig } from '../kube/kubeconfig.js';
import { ObjectStore } from '../kube/object-store.js';
import { resourceTypesOf } from '../kube/resource-catalog.js';
import { crdRegistrar } from '../kube/controllers/crd-registrar.js';
import { publishCharts } from './chart-repository.js';
import { clusterStateReader, writeInstall, readClusterState, type ClusterState } from '../cloud/cluster-state.js';
import { drainNodes, kubeletsBehind, seedFreshCluster, syncNodes } from './fresh-cluster.js';
import { seedFromBackup } from './seed-users.js';
import { seedSite } from './seed-site.js';
import { SiteJournal } from './site-journal.js';
import type { SiteObjects } from './site-summary.js';
import { startRealSandboxSite } from './real-sandbox-site.js';
import { findControlPlane } from '../control-plane/control-plane-binaries.js';
import type { SandboxConfig } from './sandbox-config.js';
import { chooseTerraform, onPath, type TerraformChoice } from '../cloud/find-terraform.js';
import type { OpenStackApi } from '../cloud/openstack-api.js';
import { startSiteCloud } from './site-cloud.js';
import { openTwinSnapshot, twinFirstLines } from './twin/open-twin.js';
import { seedTwin, twinCloud } from './twin/seed-twin.js';
import { installTwinRelease } from './twin/twin-release.js';
import type { SiteSnapshot } from './twin/read-snapshot.js';
import { holdPointOf, type HoldPoint } from '../support/hold-point.js';
import { toolStartWrapper } from '../support/tool-start-wrapper.js';

import { SandboxSetupError } from './setup-error.js';

export { SandboxSetupError };

const projectRoot = packageRoot();

export interface SandboxSite {
  /** What answers as Kubernetes, for the summary's first line: `simulated`, or the real control plane's release. */
  controlPlane: string;
  /** The chart repository's URL (helm repo add). */
  chartRepoUrl: string;
  /** Writes the operator's tools made through the Kubernetes API so far. */
  apiWrites(): number;
  /** The site's objects and volumes now, for the summary. */
  objects(): Promise<SiteObjects>;
  /** The cloud's Keystone and Cinder, which the real openstack client reaches through clouds.yaml. */
  openstack: OpenStackApi;
  /** The terraform that drives the cloud: the real one, or the stand-in and why. */
  terraform: TerraformChoice;
  stateDir: string;
  terraformDir: string;
  /** Environment every tool the runner starts gets: PATH shims, KUBECONFIG, helm's homes. */
  env: Record<string, string>;
  /** Lines describing what was created on first start; empty on later starts. */
  seeded: string[];
  /** The snapshot this site is the twin of, if it is one. */
  snapshot?: SiteSnapshot;
  stop(): Promise<void>;
}

async function nodeScript(path: string, module: string, exportName: string): Promise<void> {
  const target = join(projectRoot, 'dist', ...module.split('/'));
  await writeFile(
    path,
    `#!${process.execPath}\nimport { ${exportName} } from ${JSON.stringify(target)};\nprocess.exitCode = await ${exportName}(process.argv.slice(2));\n`,
  );
  await chmod(path, 0o755);
}

/**
 * PATH shims: terraform (the real one, or the stand-in), tofu (the real OpenTofu when installed, else
 * whichever terraform runs: its CLI is the same), the simulated cloud's API and Kubespray, and the
 * real kubectl and helm of the chosen toolchain. Where a test holds tools at their start, each tool
 * the runner starts goes through a wrapper that waits there (`toolStartWrapper`).
 */
async function writeShims(
  binDir: string,
  toolchain: KubeToolchain,
  terraform: TerraformChoice,
  hold: HoldPoint | undefined,
): Promise<void> {
  await rm(binDir, { recursive: true, force: true });
  const held = hold?.point === 'tool-start' ? hold : undefined;
  const toolDir = held ? join(binDir, 'held') : binDir;
  await mkdir(toolDir, { recursive: true });
  const tofu = onPath('tofu', [binDir]);
  for (const name of ['terraform', 'tofu']) {
    const real = name === 'tofu' && tofu ? tofu : terraform.kind === 'real' ? terraform.path : undefined;
    if (real) await symlink(real, join(toolDir, name));
    else await nodeScript(join(toolDir, name), 'sandbox/cloud/terraform-cli.js', 'terraformCli');
  }
  // The cloud's API is what terraform calls, not a tool of the runner's: never held at its start.
  await nodeScript(join(binDir, 'sim-cloud'), 'sandbox/cloud/sim-cloud-cli.js', 'simCloudCli');
  await nodeScript(join(toolDir, 'sim-kubespray'), 'sandbox/cloud/kubespray-cli.js', 'kubesprayCli');
  const { kubectl, helm } = await kubeBinaries(toolchain);
  await symlink(kubectl, join(toolDir, 'kubectl'));
  await symlink(helm, join(toolDir, 'helm'));
  if (held) {
    for (const name of ['terraform', 'tofu', 'sim-kubespray', 'kubectl', 'helm']) {
      await writeFile(join(binDir, name), toolStartWrapper(held, join(toolDir, name)));
      await chmod(join(binDir, name), 0o755);
    }
  }
}

function siteEnv(config: SandboxConfig): Record<string, string> {
  const { stateDir, terraformDir } = config;
  return {
    PATH: `${join(stateDir, 'bin')}:${process.env['PATH'] ?? ''}`,
    KUBECONFIG: join(stateDir, 'kubeconfig'),
    HELM_CACHE_HOME: join(stateDir, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(stateDir, 'helm', 'config'),
    HELM_DATA_HOME: join(stateDir, 'helm', 'data'),
    // The openstack client reads the sandbox's clouds.yaml (cloud `sandbox`) and no other.
    OS_CLIENT_CONFIG_FILE: join(stateDir, 'clouds.yaml'),
    // terraform offline and on its own: no version check over the network, no user CLI configuration.
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_CLI_CONFIG_FILE: join(stateDir, 'terraform.rc'),
    JHUB_SANDBOX_STATE_DIR: stateDir,
    JHUB_SANDBOX_TERRAFORM_DIR: terraformDir,
    // The release Kubespray's stand-in installs unless told kube_version: the toolchain's kubectl's.
    JHUB_SANDBOX_KUBE_VERSION: `v${kubeToolchains[config.toolchain].kubectl}`,
    JHUB_SANDBOX_CLOUD_LATENCY_MS: String(config.cloud.latencyMs),
    JHUB_SANDBOX_CLOUD_FAIL: config.cloud.fail.join(','),
  };
}

/** Starts the simulated site (seeding it on first use): cloud, Kubernetes API, chart repository. */
export async function startSandboxSite(given: SandboxConfig, runner: ToolRunner): Promise<SandboxSite> {
  let config = given;
  const { stateDir, terraformDir } = config;
  // Checked before anything is made: a site that cannot start leaves nothing behind.
  const found = config.controlPlane === 'real' ? findControlPlane(process.env, config.controlPlaneBinaries) : undefined;
  if (found && !('found' in found)) throw new SandboxSetupError(`sandbox.control_plane is real, but ${found.missing}`);
  const snapshot = config.fromSnapshot ? openTwinSnapshot(config) : undefined;
  if (snapshot) config = { ...config, cloud: { ...config.cloud, quota: snapshot.quota } };
  await mkdir(stateDir, { recursive: true });
  const env = siteEnv(config);
  const terraform = chooseTerraform(config.terraform, [join(stateDir, 'bin')]);
  if (config.terraform === 'real' && terraform.kind === 'stand-in')
    throw new SandboxSetupError(`sandbox.terraform is real, but ${terraform.reason}`);
  await writeFile(env['TF_CLI_CONFIG_FILE']!, "# The sandbox's terraform reads no user configuration.\n");
  // A test's hold point (sandbox/support/hold-point.ts) reaches the site through the runner's environment.
  const hold = holdPointOf(process.env);
  await writeShims(join(stateDir, 'bin'), config.toolchain, terraform, hold);
  const journal = new SiteJournal(join(stateDir, 'cluster.jsonl'));
  const firstStart = !(await pathExists(join(stateDir, 'cluster.jsonl')));
  const seeded: string[] = [];

  const twin = snapshot ? twinCloud(snapshot.site) : undefined;
  if (firstStart && (config.seed || twin)) {
    for (const argv of [
      ['terraform', `-chdir=${terraformDir}`, 'init', '-input=false'],
      ['terraform', `-chdir=${terraformDir}`, 'apply', '-auto-approve', '-input=false'],
    ]) {
      // A twin's cloud has as many workers as its site, and its floating IP's address.
      const result = await runner.run({
        argv,
        env: twin ? { ...env, ...twin.terraformVars } : env,
      });
      if (result.exitCode !== 0)
        throw new Error(`seeding the sandbox: ${argv.slice(2).join(' ')} failed: ${result.stderr || result.stdout}`);
    }
    const state = readClusterState(terraformDir, stateDir);
    if (state.controlPlane)
      await writeInstall(stateDir, {
        controlPlaneId: state.controlPlane.id,
        nodes: twin ? twin.names : [state.controlPlane.name, ...state.workers],
        installedAt: new Date().toISOString(),
      });
    seeded.push(`cloud: created ${terraformDir}/terraform.tfstate and installed Kubernetes`);
  }

  if (found && 'found' in found) {
    if (snapshot)
      throw new SandboxSetupError('sandbox.from_snapshot is not yet supported with sandbox.control_plane: real');
    return startRealSandboxSite({ config, runner, env, terraform, journal, firstStart, seeded }, found.found);
  }

  const saved = journal.load();
  const types = resourceTypesOf(Number(kubernetesVersion(config.toolchain).minor));
  const store = new ObjectStore();
  const volumes = memoryVolumeBackend([...saved.volumes.values()], [...saved.snapshots.values()]);
  const pending = [...saved.objects.values()];
  // CRD kinds must be served before their objects come back.
  for (const { group, plural, object } of pending.filter((entry) => entry.plural === 'customresourcedefinitions'))
    store.restore(
      types.find((type) => type.group === group && type.plural === plural)!,
      object,
    );
  crdRegistrar({ store, types, volumes });
  for (const { group, plural, object } of pending) {
    const type = types.find((candidate) => candidate.group === group && candidate.plural === plural);
    if (type && plural !== 'customresourcedefinitions') store.restore(type, object);
  }

  let clusterId = saved.clusterId;
  const cluster = clusterStateReader(terraformDir, stateDir);
  // Declared before the request gate that seeds through it, assigned once the server listens.
  // eslint-disable-next-line prefer-const
  let server: KubeApiServer;
  let syncedInstall: ClusterState['install'];
  // What /version says: the release Kubespray installed, which its upgrade changes while the site runs.
  const served = kubernetesVersion(config.toolchain);
  const toolchainRelease = `v${kubeToolchains[config.toolchain].kubectl}`;
  /** False while no cluster answers; after Kubespray ran again, swaps in the cluster it left. */
  const admitRequest = (): boolean => {
    const state = cluster.read();
    if (!state.up || !state.install) return false;
    // The reader returns the same record until a file changes, so this runs once per Kubespray run.
    if (state.install === syncedInstall) return true;
    syncedInstall = state.install;
    const release = state.install.kubeVersion ?? toolchainRelease;
    Object.assign(served, servedVersion(release));
    if (clusterId !== state.install.controlPlaneId) {
      // Kubespray installed on new machines: an empty cluster, whatever the old one held.
      clusterId = state.install.controlPlaneId;
      // The new cluster and what it starts with go to the journal as one line, so a kill in the middle of seeding loses all of it or none.
      journal.pause();
      try {
        store.clear();
        seedFreshCluster(server, state.install.nodes, {
          certManager: config.certManager,
          gatewayApi: config.gatewayApi,
          kubeletVersion: release,
        });
      } finally {
        journal.resume();
      }
      journal.startCluster(clusterId, store);
    } else {
      // The nodes say what runs on them: a kubelet older than what Kubespray installed means its upgrade ran just now.
      if (state.install.kubeVersion && kubeletsBehind(server, release)) drainNodes(server, state.install.nodes);
      syncNodes(server, state.install.nodes, release);
    }
    return true;
  };
  const charts = join(stateDir, 'charts');
  const images = siteRegistry(config.images);
  server = await startKubeApiServer({
    store,
    types,
    volumes,
    port: config.port,
    // The site's own path, the same every run: a killed run's helm reaches the next run's API, as it would a cluster that outlived the runner.
    path: `/cluster-${createHash('sha256').update(stateDir).digest('hex').slice(0, 8)}`,
    admitRequest,
    staticFiles: { prefix: '/charts/', dir: charts },
    version: served,
    imageAvailable: (image) => images.has(image),
    workloads: config.workloads,
    ...(hold ? { hold } : {}),
    // The cluster reader re-reads terraform's state only when it changed.
    ...(config.cloud.loadBalancer ? { loadBalancerAddress: () => cluster.read().floatingIp } : {}),
  });
  let openstack: OpenStackApi | undefined;
  try {
    await writeKubeconfig(env['KUBECONFIG']!, server.url);
    openstack = await startSiteCloud(config, env, volumes);
    // The chart repository answers at the server's root, so a site on a fixed port keeps one repository URL across starts.
    await publishCharts(
      runner,
      env,
      join(projectRoot, 'sandbox', 'charts'),
      charts,
      `${new URL(server.url).origin}/charts/`,
      config.charts,
    );
    admitRequest();

    // A twin is made until it is whole: a start that failed half-way (a release its chart refused) makes it again.
    const twinMade = join(stateDir, 'twin.made');
    if (snapshot && !(await pathExists(twinMade)) && cluster.read().up) {
      seeded.unshift(...twinFirstLines(snapshot, config.toolchain));
      seeded.push(...seedTwin(server, snapshot.site));
      const release = await installTwinRelease(
        runner,
        env,
        snapshot.site,
        `${new URL(server.url).origin}/charts/`,
        stateDir,
      );
      if (release) seeded.push(release);
      await writeStateFile(twinMade, `${snapshot.site.dir}\n`);
    } else if (firstStart && config.seed && cluster.read().up) {
      if (config.seed.fromBackup) {
        const restored = await seedFromBackup(server, config.seed.fromBackup);
        const standIns = restored.standIns
          ? `, and ${restored.standIns} claim(s) of other namespaces their volumes are bound to`
          : '';
        seeded.push(
          `users: ${restored.claims} claims and ${restored.volumes} volumes from ${config.seed.fromBackup}${standIns}`,
        );
      } else {
        seeded.push(...(await seedSite(server, config.seed)));
      }
    }
    await journal.compact(clusterId, store, volumes);
    journal.follow(store, volumes);
  } catch (error) {
    // A site that could not be made (a twin's release its chart refuses) leaves nothing listening.
    await Promise.all([server.close(), openstack?.close()]);
    throw error;
  }

  const chartRepoUrl = `${new URL(server.url).origin}/charts/`;
  return {
    controlPlane: 'simulated',
    chartRepoUrl,
    apiWrites: () => server.mutatingRequests.length,
    objects: async () => ({
      list: (kind) => server.store.list(server.types.find((type) => type.kind === kind)!),
      volumes: server.volumes,
    }),
    openstack,
    terraform,
    stateDir,
    terraformDir,
    env,
    seeded,
    ...(snapshot ? { snapshot: snapshot.site } : {}),
    async stop() {
      await Promise.all([server.close(), openstack.close()]);
    },
  };
}
