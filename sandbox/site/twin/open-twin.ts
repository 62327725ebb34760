import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CinderQuota } from '../../cloud/cinder-quota.js';
import { kubeToolchains, type KubeToolchain } from '../../kube-binaries.js';
import { packageRoot } from '../../support/package-root.js';
import type { SandboxConfig } from '../sandbox-config.js';
import { SandboxSetupError } from '../setup-error.js';
import { readSnapshot, SnapshotFolderError, type SiteSnapshot } from './read-snapshot.js';
import { chartsServed } from './twin-release.js';
import { snapshotToolchain } from './twin-toolchain.js';

/** The snapshot a twin is made from, and the cloud quota it gives the twin. */
export interface TwinSnapshot {
  site: SiteSnapshot;
  quota: CinderQuota;
}

const quotaOf = (quotas: Record<string, unknown>, key: string, configured: number) => {
  const value = Number(quotas[key]);
  // A quota the inventory sets wins; an unlimited one takes the site's.
  return configured === -1 && Number.isInteger(value) ? value : configured;
};

/**
 * The snapshot named by `sandbox.from_snapshot`, checked whole before anything of the site is made:
 * a folder that is partial or changed, or a release whose chart the site's repository does not
 * serve, is refused with what to do.
 */
export function openTwinSnapshot(config: SandboxConfig): TwinSnapshot {
  let site: SiteSnapshot;
  try {
    site = readSnapshot(config.fromSnapshot!);
  } catch (error) {
    if (error instanceof SnapshotFolderError) throw new SandboxSetupError(error.message);
    throw error;
  }
  for (const archive of config.charts)
    if (!existsSync(archive)) throw new SandboxSetupError(`sandbox.charts: ${archive} does not exist`);
  const served = chartsServed(join(packageRoot(), 'sandbox', 'charts'), config.charts);
  const chart = site.helmRelease?.chart;
  if (chart && !served.includes(chart))
    throw new SandboxSetupError(
      `sandbox.from_snapshot: the site's release ${site.helmRelease!.name} runs ${chart}, which the sandbox's chart repository does not serve (it serves ${served.join(', ')}). ` +
        `Fetch the chart's archive where you have the chart's repository (helm pull jupyterhub/jupyterhub --version ${chart.replace(/^.*?-(\d)/, '$1')} writes ${chart}.tgz) and list it in sandbox.charts: [path/to/${chart}.tgz]`,
    );
  const quota = {
    volumes: quotaOf(site.quotas, 'volumes', config.cloud.quota.volumes),
    snapshots: quotaOf(site.quotas, 'snapshots', config.cloud.quota.snapshots),
    gigabytes: quotaOf(site.quotas, 'gigabytes', config.cloud.quota.gigabytes),
  };
  return { site, quota };
}

/** What a twin says first: whose it is, and the Kubernetes release it answers as against the site's. */
export function twinFirstLines(snapshot: TwinSnapshot, toolchain: KubeToolchain): string[] {
  const { site } = snapshot;
  const kubectl = kubeToolchains[toolchain].kubectl;
  const same = kubectl.split('.')[1] === String(Number.parseInt(site.version.minor, 10));
  const nearest = snapshotToolchain(site.dir);
  const chosen = same
    ? `${kubectl} here (toolchain ${toolchain})`
    : nearest === toolchain
      ? `the nearest the sandbox has: ${kubectl} here (toolchain ${toolchain})`
      : `${kubectl} here (sandbox.toolchain ${toolchain}; ${nearest} is nearer the site's, without sandbox.toolchain it is taken)`;
  const workers = site.nodes.filter(
    (node) =>
      !Object.keys(node.metadata.labels ?? {}).some((label) =>
        /^node-role\.kubernetes\.io\/(control-plane|master)$/.test(label),
      ),
  ).length;
  return [
    `twin of site ${site.siteName} from ${site.dir} (taken ${site.taken}): Kubernetes ${site.version.gitVersion} there, ${chosen}`,
    `workers: ${workers}, as at the site (give the playbooks terraform_vars: {worker_count: ${workers}} so they keep them)`,
  ];
}
