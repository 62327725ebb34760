import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubeToolchains, kubernetesVersion, type KubeToolchain } from '../../kube-binaries.js';

/** The toolchain whose Kubernetes minor is nearest the snapshot's server (v33 when the snapshot cannot be read; starting it says why). */
export function snapshotToolchain(dir: string): KubeToolchain {
  let minor: number;
  try {
    const version = JSON.parse(readFileSync(join(dir, 'kubernetes', 'version.json'), 'utf8')) as {
      serverVersion?: { minor?: string };
    };
    minor = Number.parseInt(String(version.serverVersion?.minor), 10);
  } catch {
    return 'v33';
  }
  if (!Number.isFinite(minor)) return 'v33';
  const choices = Object.keys(kubeToolchains) as KubeToolchain[];
  return choices.reduce((best, each) =>
    Math.abs(Number(kubernetesVersion(each).minor) - minor) < Math.abs(Number(kubernetesVersion(best).minor) - minor)
      ? each
      : best,
  );
}
