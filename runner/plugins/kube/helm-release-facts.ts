import type { ProbeIO } from '../contract.js';
import { PlanError } from '../plan-error.js';

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
export async function findRelease(io: ProbeIO, helm: string[], release: string, namespace: string): Promise<DeployedRelease | undefined> {
  const escaped = release.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Explicit status filters: helm 4 dropped `--all`, and a failed or pending release must be seen.
  const result = await io.run([...helm, 'list', '--namespace', namespace, '--filter', `^${escaped}$`, '--deployed', '--failed', '--pending', '--output', 'json']);
  if (result.exitCode !== 0) throw new PlanError(`helm list failed: ${result.stderr || result.stdout}`);
  return parseJson<DeployedRelease[]>(result.stdout || '[]', 'helm list output').find((item) => item.name === release);
}

/** The values the user supplied to the deployed release (`helm get values -o json`); null means none. */
export async function deployedValues(io: ProbeIO, helm: string[], release: string, namespace: string): Promise<Record<string, unknown>> {
  const result = await io.run([...helm, 'get', 'values', release, '--namespace', namespace, '--output', 'json']);
  if (result.exitCode !== 0) throw new PlanError(`helm get values failed: ${result.stderr || result.stdout}`);
  return parseJson<Record<string, unknown> | null>(result.stdout || 'null', 'helm get values output') ?? {};
}

/** `jupyterhub-4.2.0` -> `4.2.0`; chart names may contain dashes, versions start with a digit. */
export function chartVersionOf(chart: string): string | undefined {
  return /-(v?\d+\.\d+\.\d+[^\s]*)$/.exec(chart)?.[1];
}
