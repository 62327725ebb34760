import { describe, expect, it } from 'vitest';
import { kubectlCheckKubeUpgradePlugin } from '../../runner/plugins/kubectl-check-kube-upgrade.js';

const node = (name: string, ready = true, kubelet = 'v1.33.9') => ({ name, ready, kubelet });
const facts = (overrides: object = {}) => ({
  server: '1.33.9',
  nodes: [node('k8s-master'), node('k8s-node-1')],
  chart: { chart: 'jupyterhub-4.2.0', kubeVersion: '>=1.28.0-0' },
  userServers: 2,
  ...overrides,
});
const plan = (kube_version: string, given = facts()) =>
  kubectlCheckKubeUpgradePlugin.plan({ kube_version, namespace: 'jhub', release: 'jhub' }, given);

describe('kubectl.check_kube_upgrade plan', () => {
  it('passes the next minor, saying what the drain stops, and registers that an upgrade is needed', () => {
    const passed = plan('v1.34.2');
    expect(passed).toMatchObject({
      change: 'none',
      reason: 'v1.33.9 → v1.34.2: a step Kubespray takes; 2 node(s) Ready; jupyterhub-4.2.0 accepts it (>=1.28.0-0)',
      data: { upgrade_needed: true, current_version: 'v1.33.9' },
    });
    expect(passed.details).toEqual([
      'Kubespray drains each node in turn: 2 running user server(s) will be stopped (their volumes stay; users start them again)',
    ]);
  });

  it('is done when the API server and every kubelet run the release, and not while a kubelet lags', () => {
    const there = facts({ server: '1.34.2', nodes: [node('a', true, 'v1.34.2'), node('b', true, 'v1.34.2')] });
    expect(plan('v1.34.2', there).data).toEqual({ upgrade_needed: false, current_version: 'v1.34.2' });
    const half = facts({ server: '1.34.2', nodes: [node('a', true, 'v1.34.2'), node('b', true, 'v1.33.9')] });
    expect(plan('v1.34.2', half).data).toEqual({ upgrade_needed: true, current_version: 'v1.34.2' });
  });

  it('refuses two minors up, a node not Ready and a chart that does not accept the release, all at once', () => {
    const refused = facts({
      nodes: [node('k8s-master'), node('k8s-node-1', false)],
      chart: { chart: 'jupyterhub-3.3.8', kubeVersion: '>=1.23.0-0, <1.35.0-0' },
    });
    expect(() => plan('1.35.0', refused)).toThrow(
      [
        'the upgrade to v1.35.0 is refused; nothing was changed:',
        "  v1.35.0 is more than one minor version after the cluster's v1.33.9: Kubespray (kubeadm) upgrades one minor at a time; upgrade to the latest v1.34 first",
        '  node(s) not Ready: k8s-node-1; an upgrade drains each node in turn',
        "  jhub's chart jupyterhub-3.3.8 accepts Kubernetes >=1.23.0-0, <1.35.0-0, not v1.35.0: upgrade the chart first (upgrade-jhub.yml)",
      ].join('\n'),
    );
    expect(() => plan('v1.33.2')).toThrow(
      "v1.33.2 is older than the cluster's v1.33.9: Kubespray (kubeadm) does not downgrade",
    );
  });
});
