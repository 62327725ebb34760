import type { ExecResult } from '../../exec/exec-result.js';
import { textVar } from '../text-var.js';
import { helmConnection } from '../../plugins/tools/kube-connection.js';
import { openstackHead } from '../../plugins/tools/openstack-head.js';
import { terraformHead } from '../../plugins/tools/terraform-head.js';
import { clusterKubectl } from '../backup-witness.js';

type Vars = Readonly<Record<string, unknown>>;

/** One file of a snapshot: the read-only command that gives it, and what of its output is kept. */
export interface SnapshotSource {
  file: string;
  argv: string[];
  /** The part of the output the snapshot keeps. */
  keep(stdout: string): unknown;
  /** Why the site has nothing here (no release, no cert-manager), when the command's failure says so; else the failure is the snapshot's. */
  absent?(result: ExecResult): string | undefined;
}

const text = textVar;

/** A kubectl list without the server's bookkeeping, which says nothing of the site and only grows the file. */
function kubeList(stdout: string): unknown {
  const list = JSON.parse(stdout) as { items?: { metadata?: Record<string, unknown> }[] };
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: (list.items ?? []).map((item) => {
      const { managedFields: _managedFields, ...metadata } = item.metadata ?? {};
      return { ...item, metadata };
    }),
  };
}

const notServed = (result: ExecResult) =>
  /the server doesn't have a resource type/.test(result.stderr)
    ? 'the cluster does not serve this kind (cert-manager is not installed)'
    : undefined;

/** Events of the last hour: what happened just before the snapshot, not the cluster's whole memory. */
function recentEvents(now: Date) {
  return (stdout: string): unknown => {
    const list = kubeList(stdout) as { items: Record<string, any>[] };
    const since = now.getTime() - 3600_000;
    const when = (event: Record<string, any>) =>
      Date.parse(event['lastTimestamp'] ?? event['eventTime'] ?? event['metadata']?.creationTimestamp ?? '');
    return { ...list, items: list.items.filter((event) => !(when(event) < since)) };
  };
}

/** `terraform show -json` without what terraform marks sensitive: those attributes and outputs are dropped, not masked. */
export function withoutSensitive(stdout: string): unknown {
  const shown = JSON.parse(stdout || '{}') as Record<string, any>;
  const prune = (values: Record<string, unknown>, sensitive: unknown): Record<string, unknown> => {
    if (!sensitive || typeof sensitive !== 'object') return values;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      const mark = (sensitive as Record<string, unknown>)[key];
      if (mark === true) continue;
      out[key] =
        mark && typeof mark === 'object' && value && typeof value === 'object' && !Array.isArray(value)
          ? prune(value as Record<string, unknown>, mark)
          : value;
    }
    return out;
  };
  const moduleOf = (module: Record<string, any>): Record<string, any> => ({
    ...module,
    resources: (module['resources'] ?? []).map((resource: Record<string, any>) => {
      const { sensitive_values: sensitive, ...rest } = resource;
      return { ...rest, values: prune(resource['values'] ?? {}, sensitive) };
    }),
    ...(module['child_modules'] ? { child_modules: module['child_modules'].map(moduleOf) } : {}),
  });
  const values = shown['values'] as Record<string, any> | undefined;
  if (!values) return { format_version: shown['format_version'], terraform_version: shown['terraform_version'] };
  const outputs = Object.fromEntries(
    Object.entries((values['outputs'] ?? {}) as Record<string, Record<string, unknown>>).filter(
      ([, output]) => output['sensitive'] !== true,
    ),
  );
  return {
    ...shown,
    values: { ...values, outputs, root_module: moduleOf(values['root_module'] ?? {}) },
  };
}

/** Every read a snapshot makes of a site: kubectl, helm, terraform and openstack, through the site's own settings. */
export function snapshotSources(vars: Vars, now: Date): SnapshotSource[] {
  const kubectl = clusterKubectl(undefined, vars);
  const namespace = text(vars, 'namespace') ?? 'jhub';
  const release = text(vars, 'release') ?? 'jhub';
  const kubeconfig = text(vars, 'kubeconfig');
  const context = text(vars, 'kube_context');
  const helm = [
    text(vars, 'helm_binary') ?? 'helm',
    ...helmConnection({ ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) }),
  ];
  const cloud = text(vars, 'openstack_cloud');
  const openstack = openstackHead.argv({
    ...(text(vars, 'openstack_binary') ? { binary: text(vars, 'openstack_binary')! } : {}),
    ...(cloud ? { cloud } : {}),
  });
  const terraformDir = text(vars, 'terraform_dir');
  const list = (file: string, args: string[], extra: Partial<SnapshotSource> = {}): SnapshotSource => ({
    file,
    argv: [...kubectl, 'get', ...args, '--output', 'json'],
    keep: kubeList,
    ...extra,
  });
  const noRelease = (result: ExecResult) =>
    /not found/.test(result.stderr) ? `no release ${release} in ${namespace}` : undefined;
  return [
    { file: 'kubernetes/version.json', argv: [...kubectl, 'version', '--output', 'json'], keep: JSON.parse },
    list('kubernetes/nodes.json', ['nodes']),
    list('kubernetes/storageclasses.json', ['storageclasses.storage.k8s.io']),
    list('kubernetes/pv.json', ['persistentvolumes']),
    list('kubernetes/pvc.json', ['persistentvolumeclaims', '--namespace', namespace]),
    list('kubernetes/services.json', ['services', '--namespace', namespace]),
    list('kubernetes/ingresses.json', ['ingresses.networking.k8s.io', '--namespace', namespace]),
    list('kubernetes/issuers.json', ['issuers.cert-manager.io', '--namespace', namespace], { absent: notServed }),
    list('kubernetes/clusterissuers.json', ['clusterissuers.cert-manager.io'], { absent: notServed }),
    list('kubernetes/certificates.json', ['certificates.cert-manager.io', '--namespace', namespace], {
      absent: notServed,
    }),
    list('kubernetes/events.json', ['events', '--namespace', namespace], { keep: recentEvents(now) }),
    {
      file: 'helm/release.json',
      argv: [
        ...helm,
        'list',
        '--namespace',
        namespace,
        '--deployed',
        '--failed',
        '--pending',
        '--uninstalling',
        '--filter',
        `^${release}$`,
        '--output',
        'json',
      ],
      keep: (stdout) => (JSON.parse(stdout) as unknown[])[0] ?? null,
    },
    {
      file: 'helm/history.json',
      argv: [...helm, 'history', release, '--namespace', namespace, '--output', 'json'],
      keep: JSON.parse,
      absent: noRelease,
    },
    {
      file: 'helm/values.json',
      argv: [...helm, 'get', 'values', release, '--namespace', namespace, '--output', 'json'],
      keep: (stdout) => JSON.parse(stdout) ?? {},
      absent: noRelease,
    },
    ...(terraformDir
      ? [
          {
            file: 'terraform/state.json',
            argv: [
              ...terraformHead.argv({
                dir: terraformDir,
                ...(text(vars, 'terraform_binary') ? { binary: text(vars, 'terraform_binary')! } : {}),
              }),
              'show',
              '-json',
            ],
            keep: withoutSensitive,
          },
        ]
      : []),
    {
      file: 'openstack/volumes.json',
      argv: [...openstack, 'volume', 'list', '--long', '-f', 'json'],
      keep: JSON.parse,
    },
    {
      file: 'openstack/floating-ips.json',
      argv: [...openstack, 'floating', 'ip', 'list', '-f', 'json'],
      keep: JSON.parse,
    },
    { file: 'openstack/quotas.json', argv: [...openstack, 'quota', 'show', '-f', 'json'], keep: JSON.parse },
  ];
}

/** The tools' own versions, for the manifest: what read the site. */
export function toolVersionSources(vars: Vars): { tool: string; argv: string[] }[] {
  return [
    { tool: 'helm', argv: [text(vars, 'helm_binary') ?? 'helm', 'version', '--short'] },
    { tool: 'terraform', argv: [text(vars, 'terraform_binary') ?? 'terraform', 'version'] },
    { tool: 'openstack', argv: [text(vars, 'openstack_binary') ?? 'openstack', '--version'] },
  ];
}
