import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeStateFile } from '../../support/state-file.js';
import type { ToolRunner } from '../../support/tool-runner.js';
import type { SiteSnapshot } from './read-snapshot.js';
import { SandboxSetupError } from '../setup-error.js';

/** What `run snapshot` writes in place of a secret value. */
const secretMarker = '(secret: not in the snapshot)';

/** `jupyterhub-4.2.0` as helm lists a release's chart: its name and version. */
export function chartOf(chart: string): { name: string; version: string } {
  const match = /^(.*)-(\d+\.\d+\.\d+.*)$/.exec(chart);
  return match ? { name: match[1]!, version: match[2]! } : { name: chart, version: '' };
}

/** The charts the sandbox's repository serves, as name-version: its own folders and the archives `sandbox.charts` adds. */
export function chartsServed(chartsDir: string, archives: string[]): string[] {
  const own = readdirSync(chartsDir).map((dir) => {
    const text = readFileSync(join(chartsDir, dir, 'Chart.yaml'), 'utf8');
    const field = (key: string) => new RegExp(`^${key}:\\s*['"]?([^'"\\s]+)`, 'm').exec(text)?.[1] ?? '';
    return `${field('name')}-${field('version')}`;
  });
  return [...own, ...archives.map((archive) => basename(archive).replace(/\.tgz$/, ''))];
}

/** The site's values with each secret the snapshot left out made anew: the twin's hub runs with secrets of its own. */
export function withNewSecrets(value: unknown): unknown {
  if (value === secretMarker) return randomBytes(32).toString('hex');
  if (Array.isArray(value)) return value.map(withNewSecrets);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withNewSecrets(item)]));
  return value;
}

/** Installs the site's release on the twin at its chart version with its values, as helm would have at the site. */
export async function installTwinRelease(
  runner: ToolRunner,
  env: Record<string, string>,
  snapshot: SiteSnapshot,
  chartRepoUrl: string,
  stateDir: string,
): Promise<string | undefined> {
  const release = snapshot.helmRelease;
  if (!release) return undefined;
  const chart = chartOf(release.chart);
  const valuesFile = join(stateDir, 'twin-values.json');
  await writeStateFile(valuesFile, JSON.stringify(withNewSecrets(snapshot.values ?? {})), 0o600);
  const argv = [
    'helm',
    'install',
    release.name,
    chart.name,
    '--repo',
    chartRepoUrl,
    '--version',
    chart.version,
    '--namespace',
    snapshot.namespace,
    '--create-namespace',
    '--values',
    valuesFile,
  ];
  const result = await runner.run({ argv, env });
  if (result.exitCode !== 0)
    throw new SandboxSetupError(
      `sandbox.from_snapshot: the twin's release could not be installed with the site's values: ${(result.stderr || result.stdout).trim()}\n` +
        `The sandbox's own ${release.chart} is a stand-in that knows fewer values than the released chart: serve the released chart's archive (helm pull jupyterhub/jupyterhub --version ${chart.version}) with sandbox.charts, and start the twin again`,
    );
  return `release: ${release.name} ${release.chart} with the site's values (its secrets made anew)`;
}
