import { existsSync } from 'node:fs';
import { textVar } from './text-var.js';
import type { ExecResult, ProcessRunner } from '../exec/exec-result.js';
import { unreachableCluster } from '../plugins/kube/unreachable-cluster.js';
import { clusterKubectl } from './backup-witness.js';

/** One thing a site needs before its first real run, as found on this machine. */
export interface CheckResult {
  name: string;
  ok: boolean;
  /** What was found: a version, an address, or what went wrong. */
  found: string;
  /** What to do about it, when it is not ok. */
  fix?: string;
}

type Vars = Readonly<Record<string, unknown>>;
const text = textVar;

/** The first version number a tool printed, as numbers: [1, 33, 9]. */
export function versionIn(output: string): number[] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

const atLeast = (version: number[], minimum: readonly number[]) => {
  for (let index = 0; index < minimum.length; index += 1) {
    if ((version[index] ?? 0) !== minimum[index]) return (version[index] ?? 0) > minimum[index]!;
  }
  return true;
};

/** A tool the playbooks run, the oldest version accepted, and how to get it. */
interface ToolNeed {
  name: string;
  argv: string[];
  minimum: readonly number[];
  install: string;
}

function toolNeeds(vars: Vars): ToolNeed[] {
  const installer = Array.isArray(vars['cluster_install_argv']) ? String(vars['cluster_install_argv'][0]) : undefined;
  return [
    {
      name: 'kubectl',
      argv: [text(vars, 'kubectl_binary') ?? 'kubectl', 'version', '--client', '--output', 'json'],
      minimum: [1, 27],
      install: 'install kubectl 1.27 or later (https://kubernetes.io/docs/tasks/tools/), or set kubectl_binary',
    },
    {
      name: 'helm',
      argv: [text(vars, 'helm_binary') ?? 'helm', 'version', '--short'],
      minimum: [3, 12],
      install: 'install helm 3.12 or later (https://helm.sh/docs/intro/install/), or set helm_binary',
    },
    {
      name: 'terraform',
      argv: [text(vars, 'terraform_binary') ?? 'terraform', 'version'],
      minimum: [1, 4],
      install:
        'install terraform 1.4 or later (https://developer.hashicorp.com/terraform/install) or OpenTofu 1.6 or later, and set terraform_binary to it',
    },
    {
      name: 'openstack',
      argv: [text(vars, 'openstack_binary') ?? 'openstack', '--version'],
      minimum: [5, 0],
      install: 'install the OpenStack client 5.0 or later (Debian and Ubuntu: python3-openstackclient)',
    },
    ...(installer
      ? [
          {
            name: `Kubespray (${installer})`,
            argv: [installer, '--version'],
            minimum: installer.endsWith('ansible-playbook') ? [2, 14] : [0],
            install: installer.endsWith('ansible-playbook')
              ? "install Kubespray's requirements (pip install -r requirements.txt in its folder: ansible-core 2.14 or later)"
              : `put ${installer} on PATH, or set cluster_install_argv`,
          },
        ]
      : []),
  ];
}

const notFound = (result: ExecResult) => result.exitCode === 127 && /command not found/.test(result.stderr);

async function toolCheck(runner: ProcessRunner, need: ToolNeed): Promise<CheckResult> {
  const result = await runner.run({ argv: need.argv });
  if (notFound(result)) return { name: need.name, ok: false, found: result.stderr, fix: need.install };
  const said = `${result.stdout}\n${result.stderr}`;
  const version = versionIn(said);
  if (need.minimum.length === 1) return { name: need.name, ok: true, found: version ? version.join('.') : 'present' };
  if (!version)
    return { name: need.name, ok: false, found: `no version in: ${said.trim().slice(0, 200)}`, fix: need.install };
  const ok = atLeast(version, need.minimum);
  return {
    name: need.name,
    ok,
    found: `${version.join('.')}${ok ? '' : `, older than ${need.minimum.join('.')}`}`,
    ...(ok ? {} : { fix: need.install }),
  };
}

async function apiCheck(runner: ProcessRunner, vars: Vars): Promise<CheckResult> {
  const name = 'Kubernetes API';
  const kubeconfig = text(vars, 'kubeconfig');
  if (kubeconfig && !existsSync(kubeconfig))
    return {
      name,
      ok: false,
      found: `kubeconfig ${kubeconfig} does not exist`,
      fix: "copy the cluster's admin kubeconfig there (Kubespray writes inventory/<cluster>/artifacts/admin.conf), or set kubeconfig",
    };
  const result = await runner.run({ argv: [...clusterKubectl(undefined, vars), 'version', '--output', 'json'] });
  const server = (() => {
    try {
      return (JSON.parse(result.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion;
    } catch {
      return undefined;
    }
  })();
  if (result.exitCode === 0 && server) return { name, ok: true, found: `answers, Kubernetes ${server}` };
  const unreachable = unreachableCluster(result.stderr);
  return {
    name,
    ok: false,
    found: unreachable ?? (result.stderr.trim() || 'no server version'),
    fix: 'check the cluster is up and kubeconfig (and kube_context) point at it; a cluster not built yet is built by rebuild-cluster.yml',
  };
}

async function cloudCheck(runner: ProcessRunner, vars: Vars): Promise<CheckResult> {
  const cloud = text(vars, 'openstack_cloud');
  const argv = [
    text(vars, 'openstack_binary') ?? 'openstack',
    ...(cloud ? ['--os-cloud', cloud] : []),
    'token',
    'issue',
    '--format',
    'json',
  ];
  const result = await runner.run({ argv });
  const name = 'OpenStack credentials';
  if (notFound(result)) return { name, ok: false, found: 'no OpenStack client to try them with' };
  let project: string | undefined;
  try {
    project = (JSON.parse(result.stdout) as { project_id?: string }).project_id;
  } catch {
    project = undefined;
  }
  if (result.exitCode === 0 && project)
    return { name, ok: true, found: `a token for project ${project}${cloud ? ` (cloud ${cloud})` : ''}` };
  return {
    name,
    ok: false,
    found: (result.stderr || result.stdout).trim().split('\n').at(-1) ?? 'no token',
    fix: cloud
      ? `check the entry ${cloud} of clouds.yaml (~/.config/openstack/clouds.yaml): its auth_url, and an application credential that has not expired`
      : 'set openstack_cloud to your clouds.yaml entry, or source the openrc file of your project before running',
  };
}

function terraformCheck(vars: Vars): CheckResult | undefined {
  const dir = text(vars, 'terraform_dir');
  if (!dir) return undefined;
  const name = 'terraform folder';
  if (!existsSync(dir))
    return {
      name,
      ok: false,
      found: `${dir} does not exist`,
      fix: "set terraform_dir to the folder of the site's cluster.tfvars",
    };
  return existsSync(`${dir}/.terraform`)
    ? { name, ok: true, found: `${dir}, initialised` }
    : { name, ok: true, found: `${dir}, not initialised yet (rebuild-cluster.yml runs terraform init)` };
}

async function chartRepoCheck(vars: Vars): Promise<CheckResult | undefined> {
  const url = text(vars, 'chart_repo_url');
  if (!url) return undefined;
  const name = 'chart repository';
  const index = `${url.replace(/\/$/, '')}/index.yaml`;
  try {
    const response = await fetch(index, { signal: AbortSignal.timeout(15_000) });
    return response.ok
      ? { name, ok: true, found: `${index} answers` }
      : { name, ok: false, found: `${index}: HTTP ${response.status}`, fix: 'check chart_repo_url' };
  } catch (error) {
    const reason = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const cause = reason?.code ?? reason?.message;
    return {
      name,
      ok: false,
      found: `${index}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      fix: 'check chart_repo_url and that this machine reaches it (a proxy, a firewall)',
    };
  }
}

/** Every check, in the order a person fixes them: the tools first, then what they reach. */
export async function siteChecks(runner: ProcessRunner, vars: Vars): Promise<CheckResult[]> {
  // Side by side: each is a tool's start-up (the OpenStack client's is most of a second), and none needs another.
  const results = await Promise.all([
    ...toolNeeds(vars).map((need) => toolCheck(runner, need)),
    apiCheck(runner, vars),
    cloudCheck(runner, vars),
    terraformCheck(vars),
    chartRepoCheck(vars),
  ]);
  return results.filter((result): result is CheckResult => result !== undefined);
}
