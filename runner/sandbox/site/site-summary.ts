import type { KubeApiServer } from '../kube/api-server.js';
import { volumeIdOf } from '../kube/controllers/volume-binder.js';
import { readClusterState } from './cluster-state.js';
import { releasesFrom } from './release-summary.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTfstate, resourceValues } from '../../plugins/terraform/tfstate.js';
import { cloudOperations } from '../cloud/cloud-ledger.js';
import type { TerraformChoice } from '../cloud/find-terraform.js';

function floatingIp(terraformDir: string): string | undefined {
  try {
    const instances = parseTfstate(readFileSync(join(terraformDir, 'terraform.tfstate'), 'utf8'));
    const ip = instances.find((instance) => resourceValues(instance)['kind'] === 'floatingip' && !instance.tainted);
    return ip ? String(resourceValues(ip)['address']) : undefined;
  } catch {
    return undefined;
  }
}

/** Calls that changed the simulated cloud so far (creates and deletes), as the cloud itself recorded them. */
export function cloudWriteCount(stateDir: string): number {
  return cloudOperations(stateDir).length;
}

/** Where the run started: the writes counted in the summary are the run's own, not the seeding's. */
export interface RunBaseline {
  apiWrites: number;
  cloudWrites: number;
}

function terraformLine(terraform: TerraformChoice): string {
  return terraform.kind === 'real' ? `terraform ${terraform.version} (${terraform.path})` : `the stand-in terraform (${terraform.reason})`;
}

/** A few lines on what the simulated site holds, printed after every sandbox run. */
export function siteSummary(server: KubeApiServer, terraformDir: string, stateDir: string, baseline: RunBaseline, terraform: TerraformChoice): string[] {
  const cluster = readClusterState(terraformDir, stateDir);
  const ip = floatingIp(terraformDir);
  const apiWrites = server.mutatingRequests.length - baseline.apiWrites;
  const cloudWrites = cloudWriteCount(stateDir) - baseline.cloudWrites;
  const lines = ['site summary (simulated):', `  this run: ${apiWrites} Kubernetes API write request(s), ${cloudWrites} cloud write(s)`];
  lines.push(`  cloud: ${cluster.controlPlane ? `${1 + cluster.workers.length} instance(s) (${[cluster.controlPlane.name, ...cluster.workers].join(', ')})` : 'no instances'}${ip ? `, floating IP ${ip}` : ''}; driven by ${terraformLine(terraform)}`);
  const volumes = server.volumes.list();
  const type = (kind: string) => server.types.find((candidate) => candidate.kind === kind)!;
  if (!cluster.up) {
    lines.push(`  kubernetes: ${cluster.controlPlane ? 'not installed on these instances (run the cluster install)' : 'gone with the instances'}`);
    lines.push(`  cinder volumes: ${volumes.length} (they outlive the cluster)`);
    return lines;
  }
  const pvs = server.store.list(type('PersistentVolume'));
  const backed = new Set(pvs.map(volumeIdOf));
  lines.push(`  kubernetes: up on ${cluster.install?.nodes.length ?? 0} node(s)`);
  lines.push(`  cinder volumes: ${volumes.length} (${volumes.filter((volume) => !backed.has(volume.id)).length} with no PV on this cluster)`);
  const phases = new Map<string, number>();
  for (const pv of pvs) phases.set(pv.status?.phase ?? 'Pending', (phases.get(pv.status?.phase ?? 'Pending') ?? 0) + 1);
  lines.push(`  persistent volumes: ${pvs.length}${pvs.length ? ` (${[...phases].sort(([a], [b]) => a.localeCompare(b)).map(([phase, count]) => `${count} ${phase}`).join(', ')})` : ''}`);
  const claims = server.store.list(type('PersistentVolumeClaim'));
  for (const namespace of [...new Set(claims.map((claim) => claim.metadata.namespace as string))].sort()) {
    const inNamespace = claims.filter((claim) => claim.metadata.namespace === namespace);
    const bound = inNamespace.filter((claim) => claim.status?.phase === 'Bound').length;
    const users = inNamespace.filter((claim) => String(claim.metadata.name).startsWith('claim-')).length;
    lines.push(`  claims in ${namespace}: ${inNamespace.length} (${bound} Bound; ${users} user claim(s))`);
  }
  const servers = server.store.list(type('Pod')).filter((pod) => pod.metadata.labels?.component === 'singleuser-server');
  if (servers.length > 0) {
    const running = servers.filter((pod) => pod.status?.phase === 'Running').length;
    lines.push(`  user servers: ${servers.length} (${running} Running), holding their users' claims`);
  }
  const releases = releasesFrom(server.store.list(type('Secret')));
  lines.push(`  helm releases: ${releases.length ? releases.map((release) => `${release.namespace}/${release.name} ${release.chart} ${release.status} (revision ${release.revision})`).join('; ') : 'none'}`);
  return lines;
}
