import type { ProbeIO } from '../../plugin-contract/contract.js';
import { PlanError } from '../../plugin-contract/plan-error.js';

export interface DeployedRelease {
  name: string;
  namespace: string;
  revision: string;
  status: string;
  chart: string;
  app_version: string;
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new PlanError(`cannot parse ${what}: ${text.slice(0, 200)}`);
  }
}

/** `helm list --filter '^name$' -o json`: the release, or undefined when it is not installed. */
export async function findRelease(
  io: ProbeIO,
  helm: string[],
  release: string,
  namespace: string,
): Promise<DeployedRelease | undefined> {
  const escaped = release.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Explicit status filters: helm 4 dropped `--all`, and a failed, pending or half-uninstalled release must be seen.
  const result = await io.run([
    ...helm,
    'list',
    '--namespace',
    namespace,
    '--filter',
    `^${escaped}$`,
    '--deployed',
    '--failed',
    '--pending',
    '--uninstalling',
    '--output',
    'json',
  ]);
  if (result.exitCode !== 0) throw new PlanError(`helm list failed: ${result.stderr || result.stdout}`);
  return parseJson<DeployedRelease[]>(result.stdout || '[]', 'helm list output').find((item) => item.name === release);
}

/** The values the user supplied to the deployed release (`helm get values -o json`); null means none. */
export async function deployedValues(
  io: ProbeIO,
  helm: string[],
  release: string,
  namespace: string,
): Promise<Record<string, unknown>> {
  const result = await io.run([...helm, 'get', 'values', release, '--namespace', namespace, '--output', 'json']);
  if (result.exitCode !== 0) throw new PlanError(`helm get values failed: ${result.stderr || result.stdout}`);
  return parseJson<Record<string, unknown> | null>(result.stdout || 'null', 'helm get values output') ?? {};
}

/** `jupyterhub-4.2.0` -> `4.2.0`; chart names may contain dashes, versions start with a digit. */
export function chartVersionOf(chart: string): string | undefined {
  return /-(v?\d+\.\d+\.\d+[^\s]*)$/.exec(chart)?.[1];
}

/** A release an interrupted helm left in the middle of an operation: helm refuses every other operation on it. */
export function isPending(release: DeployedRelease | undefined): boolean {
  return release !== undefined && (release.status.startsWith('pending-') || release.status === 'uninstalling');
}

export interface HistoryEntry {
  revision: number;
  status: string;
  chart: string;
  app_version?: string;
  description?: string;
}

/** The release's revisions, oldest first (`helm history -o json`); empty when it is not installed. */
export async function releaseHistory(
  io: ProbeIO,
  helm: string[],
  release: string,
  namespace: string,
): Promise<HistoryEntry[]> {
  const result = await io.run([
    ...helm,
    'history',
    release,
    '--namespace',
    namespace,
    '--max',
    '256',
    '--output',
    'json',
  ]);
  if (result.exitCode !== 0) {
    if (/release: not found/i.test(result.stderr)) return [];
    throw new PlanError(`helm history failed: ${result.stderr || result.stdout}`);
  }
  return parseJson<HistoryEntry[]>(result.stdout || '[]', 'helm history output')
    .map((entry) => ({ ...entry, revision: Number(entry.revision) }))
    .sort((a, b) => a.revision - b.revision);
}

/** The newest revision that was deployed once (`deployed` or, later replaced, `superseded`). */
export async function lastDeployedRevision(
  io: ProbeIO,
  helm: string[],
  release: string,
  namespace: string,
): Promise<number | undefined> {
  const deployed = (await releaseHistory(io, helm, release, namespace))
    .filter((entry) => entry.status === 'deployed' || entry.status === 'superseded')
    .map((entry) => entry.revision);
  return deployed.length ? Math.max(...deployed) : undefined;
}

/**
 * What helm documents for a release stuck pending after its process was killed: roll back to the last
 * deployed revision, or, for a first install that never deployed, uninstall it; the caller then goes on.
 */
export function recoverPending(
  helm: string[],
  release: DeployedRelease,
  namespace: string,
  lastDeployed: number | undefined,
  timeout: string,
): { argv: string[]; says: string } {
  if (release.status === 'uninstalling') {
    return {
      argv: [...helm, 'uninstall', release.name, '--namespace', namespace, '--wait', '--timeout', timeout],
      says: `release ${release.name} was left uninstalling by an interrupted helm uninstall: finish the uninstall, then install it again`,
    };
  }
  if (lastDeployed === undefined) {
    return {
      argv: [...helm, 'uninstall', release.name, '--namespace', namespace, '--wait', '--timeout', timeout],
      says: `release ${release.name} was left ${release.status} by an interrupted helm and never deployed: uninstall what it started, then install it again`,
    };
  }
  return {
    argv: [
      ...helm,
      'rollback',
      release.name,
      String(lastDeployed),
      '--namespace',
      namespace,
      '--wait',
      '--timeout',
      timeout,
    ],
    says: `release ${release.name} was left ${release.status} (revision ${release.revision}) by an interrupted helm: roll back to revision ${lastDeployed}, the last deployed, then go on`,
  };
}
