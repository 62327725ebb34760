import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onSite } from '../helpers/on-site.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const [upgrade, deploy] = ['upgrade-cluster.yml', 'deploy-jhub.yml'].map(playbook);

/** What the cluster says of itself: its release, each node's kubelet, the user claims' volumes and the running user servers. */
const seen = (site: string) =>
  onSite(site, async (kubectl) => {
    const json = async (args: string[]) => JSON.parse((await kubectl([...args, '-o', 'json'])).stdout);
    return {
      server: (await json(['version'])).serverVersion.gitVersion,
      kubelets: (await json(['get', 'nodes'])).items.map((node: any) => node.status.nodeInfo.kubeletVersion),
      claims: (await json(['get', 'pvc', '-n', 'jhub'])).items
        .map((claim: any) => `${claim.metadata.name} ${claim.status.phase} ${claim.spec.volumeName}`)
        .sort(),
      servers: (await json(['get', 'pods', '-n', 'jhub', '-l', 'component=singleuser-server'])).items.length,
    };
  });

describe('upgrade-cluster.yml', () => {
  it('upgrades Kubernetes by one minor with every volume kept, refuses two minors and a step back, and is done when run again', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 3, servers: 1 } });
    expect((await runApp([deploy!, '-i', site])).code).toBe(0);
    const before = await seen(site);
    expect(before).toMatchObject({ server: 'v1.33.9-sim', kubelets: ['v1.33.9', 'v1.33.9', 'v1.33.9'], servers: 1 });

    const twoMinors = await runApp([upgrade!, '-i', site, '-e', 'kube_version=v1.35.1']);
    expect(twoMinors.code).toBe(4);
    expect(twoMinors.stdout).toContain(
      "v1.35.1 is more than one minor version after the cluster's v1.33.9: Kubespray (kubeadm) upgrades one minor at a time; upgrade to the latest v1.34 first",
    );
    expect(twoMinors.runner.calls.filter((call) => call.argv.some((word) => word.endsWith('sim-kubespray')))).toEqual([]);
    // Kubespray's stand-in refuses it too, in kubeadm's words, when run by hand.
    const byHand = await onSite(site, (_kubectl, _openstack, running) =>
      execa(`${running.stateDir}/bin/sim-kubespray`, ['-i', 'inventory/hosts.yaml', 'upgrade-cluster.yml', '-e', 'kube_version=v1.35.1'], {
        env: { ...process.env, ...running.env },
        reject: false,
      }),
    );
    expect(byHand.exitCode).toBe(2);
    expect(byHand.stderr).toContain('Specified version to upgrade to \\"v1.35.1\\" is too high; kubeadm can upgrade only 1 minor version at a time');

    const check = await runApp([upgrade!, '-i', site, '-e', 'kube_version=v1.34.2', '--check']);
    expect(check.code, check.stdout).toBe(2);
    expect(check.stdout).toContain('Kubespray drains each node in turn: 1 running user server(s) will be stopped');
    expect(check.stdout).toContain('this run: 0 Kubernetes API write request(s), 0 cloud write(s)');

    const upgraded = await runApp([upgrade!, '-i', site, '-e', 'kube_version=v1.34.2']);
    expect(upgraded.code, upgraded.stdout).toBe(0);
    expect(upgraded.stdout).toMatch(/Kept: .*snapshot/);
    const after = await seen(site);
    expect(after).toEqual({
      server: 'v1.34.2-sim',
      kubelets: ['v1.34.2', 'v1.34.2', 'v1.34.2'],
      claims: before.claims,
      // The drain stopped the user's server; the hub and proxy came back.
      servers: 0,
    });

    const again = await runApp([upgrade!, '-i', site, '-e', 'kube_version=v1.34.2']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('the cluster and its 3 node(s) already run v1.34.2');
    expect(again.stdout).toMatch(/Recap: ok=\d+ +changed=0/);

    const back = await runApp([upgrade!, '-i', site, '-e', 'kube_version=v1.33.9']);
    expect(back.code).toBe(4);
    expect(back.stdout).toContain("v1.33.9 is older than the cluster's v1.34.2: Kubespray (kubeadm) does not downgrade");
    expect((await seen(site)).server).toBe('v1.34.2-sim');
  }, 300_000);
});
