import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../support/package-root.js';

export interface ControlPlaneVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
}

export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** KWOK's stages of the release, which the build copies beside it. */
  kwokStages: string;
  versions: ControlPlaneVersions;
}

/** The pinned releases `scripts/build-control-plane.mjs` builds. */
export function controlPlaneVersions(): ControlPlaneVersions {
  return JSON.parse(
    readFileSync(join(packageRoot(), 'sandbox', 'control-plane', 'versions.json'), 'utf8'),
  ) as ControlPlaneVersions;
}

/** The folder one component's build lives in, as scripts/control-plane-versions.mjs writes it. */
function cacheOf(env: NodeJS.ProcessEnv, name: string, version: string): string {
  const cacheHome = env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  const root = env['JHUB_CONTROL_PLANE_CACHE'] ?? join(cacheHome, 'jhub-runner', 'control-plane');
  return join(root, `${name}-${version}`, 'bin');
}

/** The built control plane, or what is missing and the command that builds it. */
export function findControlPlane(
  env: NodeJS.ProcessEnv = process.env,
): { found: ControlPlaneBinaries } | { missing: string } {
  const versions = controlPlaneVersions();
  const kubernetes = cacheOf(env, 'kubernetes', versions.kubernetes);
  const binaries: ControlPlaneBinaries = {
    etcd: join(cacheOf(env, 'etcd', versions.etcd), 'etcd'),
    kubeApiserver: join(kubernetes, 'kube-apiserver'),
    kubeControllerManager: join(kubernetes, 'kube-controller-manager'),
    kubeScheduler: join(kubernetes, 'kube-scheduler'),
    kwok: join(cacheOf(env, 'kwok', versions.kwok), 'kwok'),
    kwokStages: join(cacheOf(env, 'kwok', versions.kwok), 'stages.yaml'),
    versions,
  };
  const absent = Object.entries(binaries).filter(([key, path]) => key !== 'versions' && !existsSync(path as string));
  if (absent.length === 0) return { found: binaries };
  return {
    missing: `${absent.map(([, path]) => String(path)).join(', ')} not built; npm run build:control-plane builds them (Go and its module proxy needed)`,
  };
}
