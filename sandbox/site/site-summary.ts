import type { KubeObject } from '../kube/object-store.js';
import type { VolumeBackend } from '../cloud/volume-backend.js';
import { volumeIdOf } from '../kube/controllers/volume-binder.js';
import { floatingIpOf, readClusterState } from '../cloud/cluster-state.js';
import { releasesFrom } from './release-summary.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTfstate } from '../support/terraform-state.js';
import { cloudOperations } from '../cloud/cloud-ledger.js';
import type { TerraformChoice } from '../cloud/find-terraform.js';

export function floatingIp(terraformDir: string): string | undefined {
  try {
    return floatingIpOf(parseTfstate(readFileSync(join(terraformDir, 'terraform.tfstate'), 'utf8')));
  } catch {
    return undefined;
  }
}

/** Calls that changed the simulated cloud so far (creates and deletes), as the cloud itself recorded them. */
export function cloudWriteCount(stateDir: string): number {
  return cloudOperations(stateDir).length;
}

/** Where the run started: the writes counted in the summary are the run's own, not the seeding's; the floating IP and each user's volume are compared with these. */
export interface RunBaseline {
  apiWrites: number;
  cloudWrites: number;
  floatingIp?: string | undefined;
  /** `namespace/claim-<user>` to the Cinder volume it was bound to. */
  userVolumes: ReadonlyMap<string, string>;
}

/** What the summary reads of a site: its objects by kind (on either control plane) and the cloud's volumes. */
export interface SiteObjects {
  list(kind: 'PersistentVolume' | 'PersistentVolumeClaim' | 'Pod' | 'Service' | 'Secret' | 'Node'): KubeObject[];
  volumes: VolumeBackend;
}

/** Each user claim bound to a volume, with that volume's Cinder volume: what a person checks after a rebuild. */
export function userVolumes(site: SiteObjects): Map<string, string> {
  const cinderOf = new Map(site.list('PersistentVolume').map((pv) => [String(pv.metadata.name), volumeIdOf(pv)]));
  const found = new Map<string, string>();
  for (const claim of site.list('PersistentVolumeClaim')) {
    const volume = claim.status?.phase === 'Bound' ? cinderOf.get(String(claim.spec?.volumeName)) : undefined;
    if (String(claim.metadata.name).startsWith('claim-') && volume)
      found.set(`${claim.metadata.namespace}/${claim.metadata.name}`, volume);
  }
  return found;
}

function floatingIpNote(before: string | undefined, now: string | undefined): string {
  if (!now) return '';
  if (!before) return `, floating IP ${now} (new)`;
  return now === before ? `, floating IP ${now} (unchanged)` : `, floating IP ${now} (changed from ${before})`;
}

/** "all 5 on the Cinder volumes they had", or each user claim that is not. */
function userVolumeLines(before: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>): string[] {
  if (before.size === 0) return [];
  const moved: string[] = [];
  for (const [claim, volume] of before) {
    const current = now.get(claim);
    if (current !== volume)
      moved.push(`    ${claim}: ${current ? `on ${current}, was on ${volume}` : `not bound (was on ${volume})`}`);
  }
  if (moved.length === 0)
    return [`  user claims: all ${before.size} on the Cinder volumes they had when the run started`];
  return [
    `  user claims: ${before.size - moved.length} of ${before.size} on the Cinder volumes they had when the run started; not:`,
    ...moved,
  ];
}

/** The release the nodes run, and, where Kubespray's stand-in upgraded to one the control plane cannot run, that it kept its own. */
function kubeletNote(site: SiteObjects, installed: string | undefined): string {
  const kubelets = [...new Set(site.list('Node').map((node) => String(node.status?.nodeInfo?.kubeletVersion ?? '')))];
  if (kubelets.length === 0) return '';
  const running = kubelets.join(', ');
  if (!installed || kubelets.every((kubelet) => kubelet === installed)) return ` at ${running}`;
  return ` at ${running}: Kubespray's stand-in installed ${installed}, and this control plane kept ${running}, the release of the binaries built here`;
}

function terraformLine(terraform: TerraformChoice): string {
  return terraform.kind === 'real'
    ? `terraform ${terraform.version} (${terraform.path})`
    : `the stand-in terraform (${terraform.reason})`;
}

/** A few lines on what the simulated site holds, printed after every sandbox run. */
/** Snapshots keep their volumes from being deleted, and count against the quota: the summary says how many there are. */
function snapshotNote(count: number): string {
  return count ? `; ${count} snapshot(s) (playbooks/volume-snapshots.yml lists them)` : '';
}

export function siteSummary(
  site: SiteObjects,
  apiWriteCount: number,
  controlPlane: string,
  terraformDir: string,
  stateDir: string,
  baseline: RunBaseline,
  terraform: TerraformChoice,
): string[] {
  const cluster = readClusterState(terraformDir, stateDir);
  const ip = floatingIp(terraformDir);
  const apiWrites = apiWriteCount - baseline.apiWrites;
  const cloudWrites = cloudWriteCount(stateDir) - baseline.cloudWrites;
  const lines = [
    `site summary (${controlPlane}):`,
    `  this run: ${apiWrites} Kubernetes API write request(s), ${cloudWrites} cloud write(s)`,
  ];
  lines.push(
    `  cloud: ${cluster.controlPlane ? `${1 + cluster.workers.length} instance(s) (${[cluster.controlPlane.name, ...cluster.workers].join(', ')})` : 'no instances'}${floatingIpNote(baseline.floatingIp, ip)}; driven by ${terraformLine(terraform)}`,
  );
  const volumes = site.volumes.list();
  if (!cluster.up) {
    lines.push(
      `  kubernetes: ${cluster.controlPlane ? 'not installed on these instances (run the cluster install)' : 'gone with the instances'}`,
    );
    lines.push(
      `  cinder volumes: ${volumes.length} (they outlive the cluster)${snapshotNote(site.volumes.snapshots().length)}`,
    );
    return lines;
  }
  const pvs = site.list('PersistentVolume');
  const backed = new Set(pvs.map(volumeIdOf));
  lines.push(
    `  kubernetes: up on ${cluster.install?.nodes.length ?? 0} node(s)${kubeletNote(site, cluster.install?.kubeVersion)}`,
  );
  const unused = volumes.filter((volume) => !backed.has(volume.id)).length;
  lines.push(
    `  cinder volumes: ${volumes.length} (${unused} with no PV on this cluster${unused ? '; playbooks/remove-orphaned-volumes.yml lists them' : ''})${snapshotNote(site.volumes.snapshots().length)}`,
  );
  const phases = new Map<string, number>();
  for (const pv of pvs) phases.set(pv.status?.phase ?? 'Pending', (phases.get(pv.status?.phase ?? 'Pending') ?? 0) + 1);
  lines.push(
    `  persistent volumes: ${pvs.length}${
      pvs.length
        ? ` (${[...phases]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([phase, count]) => `${count} ${phase}`)
            .join(', ')})`
        : ''
    }`,
  );
  const claims = site.list('PersistentVolumeClaim');
  for (const namespace of [...new Set(claims.map((claim) => claim.metadata.namespace as string))].sort()) {
    const inNamespace = claims.filter((claim) => claim.metadata.namespace === namespace);
    const bound = inNamespace.filter((claim) => claim.status?.phase === 'Bound').length;
    const users = inNamespace.filter((claim) => String(claim.metadata.name).startsWith('claim-')).length;
    lines.push(`  claims in ${namespace}: ${inNamespace.length} (${bound} Bound; ${users} user claim(s))`);
  }
  lines.push(...userVolumeLines(baseline.userVolumes, userVolumes(site)));
  const servers = site.list('Pod').filter((pod) => pod.metadata.labels?.component === 'singleuser-server');
  if (servers.length > 0) {
    const running = servers.filter((pod) => pod.status?.phase === 'Running').length;
    lines.push(`  user servers: ${servers.length} (${running} Running), holding their users' claims`);
  }
  for (const service of site.list('Service').filter((candidate) => candidate.spec?.type === 'LoadBalancer')) {
    const address = service.status?.loadBalancer?.ingress?.[0]?.ip;
    lines.push(
      `  load balancer ${service.metadata.namespace}/${service.metadata.name}: ${address ? `at ${address}` : 'address pending (this cloud has no load-balancer provider: sandbox.cloud.load_balancer is false)'}`,
    );
  }
  const releases = releasesFrom(site.list('Secret'));
  lines.push(
    `  helm releases: ${releases.length ? releases.map((release) => `${release.namespace}/${release.name} ${release.chart} ${release.status} (revision ${release.revision})`).join('; ') : 'none'}`,
  );
  return lines;
}
