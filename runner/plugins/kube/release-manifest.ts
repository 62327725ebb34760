import type { ProbeIO } from '../../plugin-contract/contract.js';
import { PlanError } from '../../plugin-contract/plan-error.js';

/** What the upgrade would change, read without writing: the live manifest and the new chart rendered for this cluster. */
export interface ManifestFacts {
  live: string;
  /** `helm template`'s output, or its error when the chart refuses to render with these values. */
  rendered: { text: string } | { error: string };
}

/** The cluster's Kubernetes version and the API versions it serves, as helm would ask for them on an upgrade. */
async function capabilities(io: ProbeIO, kubectl: string[]): Promise<string[]> {
  const version = await io.run([...kubectl, 'version', '--output', 'json']);
  const apis = await io.run([...kubectl, 'api-versions']);
  if (apis.exitCode !== 0) throw new PlanError(`kubectl api-versions failed: ${apis.stderr || apis.stdout}`);
  let gitVersion: string | undefined;
  try {
    gitVersion = (JSON.parse(version.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion;
  } catch {
    gitVersion = undefined;
  }
  if (!gitVersion)
    throw new PlanError(`kubectl version did not say the cluster's version: ${version.stderr || version.stdout}`);
  return [
    '--kube-version',
    gitVersion,
    ...apis.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .flatMap((api) => ['--api-versions', api]),
  ];
}

/** `helm template` for an upgrade of `release`: its name, namespace, the cluster's versions, and the step's values in order. */
export function templateArgv(
  helm: string[],
  release: string,
  chartDir: string,
  namespace: string,
  valuesFiles: string[],
  inline: boolean,
  clusterArgs: string[],
): string[] {
  return [
    ...helm,
    'template',
    release,
    chartDir,
    '--namespace',
    namespace,
    '--is-upgrade',
    ...clusterArgs,
    ...valuesFiles.flatMap((path) => ['--values', path]),
    ...(inline ? ['--values', '-'] : []),
  ];
}

/** The live release's objects (`helm get manifest`, and its hooks, which `helm template` renders too) and the new rendering. */
export async function readManifests(
  io: ProbeIO,
  helm: string[],
  kubectl: string[],
  step: { release: string; namespace: string; chartDir: string; valuesFiles: string[]; inline: string | undefined },
): Promise<ManifestFacts> {
  const at = ['--namespace', step.namespace];
  const [manifest, hooks, clusterArgs] = await Promise.all([
    io.run([...helm, 'get', 'manifest', step.release, ...at]),
    io.run([...helm, 'get', 'hooks', step.release, ...at]),
    capabilities(io, kubectl),
  ]);
  if (manifest.exitCode !== 0) throw new PlanError(`helm get manifest failed: ${manifest.stderr || manifest.stdout}`);
  const argv = templateArgv(
    helm,
    step.release,
    step.chartDir,
    step.namespace,
    step.valuesFiles,
    step.inline !== undefined,
    clusterArgs,
  );
  const rendered = await io.run(argv, step.inline !== undefined ? { input: step.inline } : undefined);
  return {
    live: `${manifest.stdout}\n---\n${hooks.exitCode === 0 ? hooks.stdout : ''}`,
    rendered:
      rendered.exitCode === 0 ? { text: rendered.stdout } : { error: (rendered.stderr || rendered.stdout).trim() },
  };
}
