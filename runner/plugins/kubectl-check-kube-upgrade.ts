import { Type } from '@sinclair/typebox';
import semver from 'semver';
import { namespaceName, releaseName } from '../input/kube-names.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { releaseChartMeta, type ReleaseChartMeta } from './kube/release-chart-meta.js';
import { kubectlHead } from './tools/kubectl-head.js';

const schema = Type.Object(
  {
    kube_version: Type.String({
      pattern: '^v?\\d+\\.\\d+\\.\\d+$',
      description: "The Kubernetes release to upgrade to, as Kubespray's kube_version (v1.34.2).",
    }),
    namespace: namespaceName('The namespace of the hub.'),
    release: releaseName("The hub's helm release: its chart must accept the new version."),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

interface UpgradeFacts {
  /** The API server's release, as it reports it. */
  server: string;
  nodes: { name: string; ready: boolean; kubelet: string }[];
  chart: ReleaseChartMeta | undefined;
  /** Users' servers running now: a drain stops them. */
  userServers: number;
}

const release = (gitVersion: string) => /v?(\d+\.\d+\.\d+)/.exec(gitVersion)?.[1];
const minorOf = (version: string) => semver.minor(version);

/** Helm reads `kubeVersion` as a Masterminds constraint: commas join, as spaces do for node-semver. */
const accepts = (constraint: string, version: string) =>
  semver.satisfies(version, constraint.replace(/,/g, ' '), { includePrerelease: true });

/**
 * Before Kubespray's upgrade-cluster.yml: the new release is one kubeadm takes from the running one
 * (the next minor at most, never back), every node is Ready, and the hub's chart accepts it.
 */
export const kubectlCheckKubeUpgradePlugin = definePlugin({
  name: 'kubectl.check_kube_upgrade',
  summary:
    "Refuse a Kubernetes upgrade Kubespray would not take (more than one minor, or back), with a node not Ready, or to a version the hub's chart does not accept.",
  schema,
  reads: ['cluster'],
  changes: [],
  heads: [kubectlHead],
  registers: {
    upgrade_needed: 'whether the cluster runs another release than kube_version (false: already there)',
    current_version: "the API server's release before the upgrade",
  },
  async probe(args, io): Promise<UpgradeFacts> {
    const kubectl = kubectlHead.argv(args);
    const version = await kubectlJson(io, [...kubectl, 'version', '--output', 'json']);
    const server = release(String(version?.serverVersion?.gitVersion ?? ''));
    if (!server) throw new PlanError('kubectl version did not say the cluster’s version');
    const nodes = ((await kubectlJson(io, [...kubectl, 'get', 'nodes', '--output', 'json']))?.items ?? []).map(
      (node: any) => ({
        name: String(node.metadata.name),
        ready: (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
        kubelet: String(node.status?.nodeInfo?.kubeletVersion ?? ''),
      }),
    );
    const selector = `owner=helm,name=${args.release},status=deployed`;
    const secrets = await kubectlJson(io, [
      ...kubectl,
      'get',
      'secrets',
      '--namespace',
      args.namespace,
      '--selector',
      selector,
      '--output',
      'json',
    ]);
    const pods = await kubectlJson(io, [
      ...kubectl,
      'get',
      'pods',
      '--namespace',
      args.namespace,
      '--selector',
      'component=singleuser-server',
      '--output',
      'json',
    ]);
    return {
      server,
      nodes,
      chart: releaseChartMeta(secrets?.items?.[0]),
      userServers: (pods?.items ?? []).length,
    };
  },
  plan(args, facts): StepPlan {
    const target = args.kube_version.replace(/^v/, '');
    if (!facts)
      return {
        change: 'none',
        reason: `check at run time that v${target} is one step from the cluster's release, every node is Ready, and ${args.release}'s chart accepts it`,
        actions: [],
        // Unseen, the upgrade may be needed: the steps it decides are previewed as they would run.
        data: { upgrade_needed: true, current_version: '' },
      };
    const current = facts.server;
    const behind = facts.nodes.filter((node) => release(node.kubelet) !== target);
    const data = { upgrade_needed: current !== target || behind.length > 0, current_version: `v${current}` };
    if (!data.upgrade_needed)
      return {
        change: 'none',
        reason: `the cluster and its ${facts.nodes.length} node(s) already run v${target}`,
        actions: [],
        data,
      };
    const problems: string[] = [];
    if (semver.lt(target, current))
      problems.push(`v${target} is older than the cluster's v${current}: Kubespray (kubeadm) does not downgrade`);
    else if (semver.major(target) !== semver.major(current) || minorOf(target) - minorOf(current) > 1)
      problems.push(
        `v${target} is more than one minor version after the cluster's v${current}: Kubespray (kubeadm) upgrades one minor at a time; upgrade to the latest v${semver.major(current)}.${minorOf(current) + 1} first`,
      );
    const notReady = facts.nodes.filter((node) => !node.ready).map((node) => node.name);
    if (notReady.length)
      problems.push(`node(s) not Ready: ${notReady.join(', ')}; an upgrade drains each node in turn`);
    if (facts.chart?.kubeVersion && !accepts(facts.chart.kubeVersion, target))
      problems.push(
        `${args.release}'s chart ${facts.chart.chart} accepts Kubernetes ${facts.chart.kubeVersion}, not v${target}: upgrade the chart first (upgrade-jhub.yml)`,
      );
    if (problems.length)
      throw new PlanRefusal(`the upgrade to v${target} is refused; nothing was changed:\n  ${problems.join('\n  ')}`);
    return {
      change: 'none',
      reason: `v${current} → v${target}: a step Kubespray takes; ${facts.nodes.length} node(s) Ready; ${facts.chart ? `${facts.chart.chart} accepts it${facts.chart.kubeVersion ? ` (${facts.chart.kubeVersion})` : ''}` : `no release ${args.release} in ${args.namespace}`}`,
      actions: [],
      data,
      details: [
        `Kubespray drains each node in turn: ${facts.userServers} running user server(s) will be stopped (their volumes stay; users start them again)`,
      ],
    };
  },
});
