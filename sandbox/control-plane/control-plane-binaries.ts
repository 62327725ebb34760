import { execFileSync } from 'node:child_process';
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

/** Binaries an operator already has, by component, which take the place of the build's. */
export type ControlPlanePaths = Partial<
  Pick<ControlPlaneBinaries, 'etcd' | 'kubeApiserver' | 'kubeControllerManager' | 'kubeScheduler' | 'kwok'>
>;

/** What `setup-envtest` installs (`KUBEBUILDER_ASSETS`): etcd and kube-apiserver, beside kubectl. */
function envtestPaths(env: NodeJS.ProcessEnv): ControlPlanePaths {
  const assets = env['KUBEBUILDER_ASSETS'];
  if (!assets) return {};
  const paths: ControlPlanePaths = {};
  if (existsSync(join(assets, 'etcd'))) paths.etcd = join(assets, 'etcd');
  if (existsSync(join(assets, 'kube-apiserver'))) paths.kubeApiserver = join(assets, 'kube-apiserver');
  return paths;
}

/** The release an API server binary reports (`Kubernetes v1.34.4`), which the site serves and reports. */
function apiServerVersion(path: string): string | undefined {
  try {
    return /v\d+\.\d+\.\d+\S*/.exec(execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }))?.[0];
  } catch {
    return undefined;
  }
}

/**
 * The control plane to run: the build's binaries, with etcd and kube-apiserver from
 * `KUBEBUILDER_ASSETS` where set, and any the inventory names instead; or what is missing and the
 * command that builds it.
 */
export function findControlPlane(
  env: NodeJS.ProcessEnv = process.env,
  given: ControlPlanePaths = {},
): { found: ControlPlaneBinaries } | { missing: string } {
  const pinned = controlPlaneVersions();
  const kubernetes = cacheOf(env, 'kubernetes', pinned.kubernetes);
  const chosen = { ...envtestPaths(env), ...given };
  const kubeApiserver = chosen.kubeApiserver ?? join(kubernetes, 'kube-apiserver');
  const versions =
    chosen.kubeApiserver && existsSync(kubeApiserver)
      ? { ...pinned, kubernetes: apiServerVersion(kubeApiserver) ?? pinned.kubernetes }
      : pinned;
  const binaries: ControlPlaneBinaries = {
    etcd: chosen.etcd ?? join(cacheOf(env, 'etcd', pinned.etcd), 'etcd'),
    kubeApiserver,
    kubeControllerManager: chosen.kubeControllerManager ?? join(kubernetes, 'kube-controller-manager'),
    kubeScheduler: chosen.kubeScheduler ?? join(kubernetes, 'kube-scheduler'),
    kwok: chosen.kwok ?? join(cacheOf(env, 'kwok', pinned.kwok), 'kwok'),
    kwokStages: join(cacheOf(env, 'kwok', pinned.kwok), 'stages.yaml'),
    versions,
  };
  const absent = Object.entries(binaries).filter(([key, path]) => key !== 'versions' && !existsSync(path as string));
  if (absent.length === 0) return { found: binaries };
  const named = new Set(Object.values(chosen));
  const notThere = absent.filter(([, path]) => named.has(path as string)).map(([, path]) => String(path));
  const unbuilt = absent.filter(([, path]) => !named.has(path as string)).map(([, path]) => String(path));
  return {
    missing: [
      ...(notThere.length
        ? [`${notThere.join(', ')} (named in the inventory or KUBEBUILDER_ASSETS) do not exist`]
        : []),
      ...(unbuilt.length
        ? [`${unbuilt.join(', ')} not built; npm run build:control-plane builds them (Go and its module proxy needed)`]
        : []),
    ].join('; '),
  };
}
