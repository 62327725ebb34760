import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { onSite } from '../../helpers/on-site.js';
import { controlPlane, realControlPlaneTestsRun } from '../../helpers/real-control-plane.js';
import { runApp } from '../../helpers/run-app.js';
import { sandboxSiteCopy } from '../../helpers/sandbox-site-copy.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../../playbooks/${name}.yml`, import.meta.url));
const run = (argv: string[]) => runApp(argv, undefined, { realTime: true });
const version = 'found' in controlPlane ? controlPlane.found.versions.kubernetes : 'v?';

/** Each user claim of the namespace with the PV it is bound to and that PV's claim uid, as kubectl shows them. */
async function bindings(site: string, namespace = 'jhub'): Promise<Record<string, string>> {
  return onSite(site, async (kubectl) => {
    const claims = JSON.parse((await kubectl(['get', 'pvc', '-n', namespace, '-o', 'json'])).stdout).items;
    const volumes = JSON.parse((await kubectl(['get', 'pv', '-o', 'json'])).stdout).items;
    const found: Record<string, string> = {};
    for (const claim of claims.filter((each: any) => each.metadata.name.startsWith('claim-'))) {
      const pv = volumes.find((each: any) => each.metadata.name === claim.spec.volumeName);
      const handle = pv?.spec.csi?.volumeHandle ?? pv?.spec.cinder?.volumeID;
      const mutual = pv?.spec.claimRef?.uid === claim.metadata.uid ? 'mutual' : 'one-sided';
      found[claim.metadata.name] = `${claim.status.phase} ${handle} ${mutual}`;
    }
    return found;
  });
}

describe.runIf(realControlPlaneTestsRun)(
  'every playbook on the real control plane (sandbox.control_plane: real)',
  () => {
    let site: string;
    let before: Record<string, string>;
    // One site for the whole story, as an operator's: made before the tests, kept until the last.
    beforeAll(async () => {
      site = await sandboxSiteCopy({ control_plane: 'real' });
    });

    it('deploys the chart, on KWOK nodes shaped like the site, and a rerun changes nothing', async () => {
      const deployed = await run([playbook('deploy-jhub'), '-i', site]);
      expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
      expect(deployed.stdout + deployed.stderr).toContain('setting up the sandbox site on the real control plane');
      expect(deployed.stdout).toContain(`site summary (real control plane, kubernetes ${version}):`);
      expect(deployed.stdout).toContain('user claims: all 6 on the Cinder volumes they had when the run started');
      expect(deployed.stdout).toContain('helm releases: jhub/jhub jupyterhub-4.2.0 deployed (revision 1)');

      const again = await run([playbook('deploy-jhub'), '-i', site]);
      expect(again.stdout).toMatch(/Recap: ok=5 {2}changed=0 /);
      expect(again.stdout).toContain('this run: 0 Kubernetes API write request(s), 0 cloud write(s)');

      before = await bindings(site);
      expect(Object.keys(before)).toHaveLength(5);
      for (const binding of Object.values(before)) expect(binding).toMatch(/^Bound \S+ mutual$/);

      await onSite(site, async (kubectl) => {
        expect(JSON.parse((await kubectl(['version', '-o', 'json'])).stdout).serverVersion.gitVersion).toBe(version);
        const master = JSON.parse((await kubectl(['get', 'node', 'k8s-master', '-o', 'json'])).stdout);
        expect(master.spec.taints).toContainEqual({
          key: 'node-role.kubernetes.io/control-plane',
          effect: 'NoSchedule',
        });
        // The real scheduler keeps the image pullers off the tainted control-plane node, and the real Job controller ran the awaiter's pod.
        const pullers = JSON.parse(
          (await kubectl(['get', 'pods', '-n', 'jhub', '-l', 'component=continuous-image-puller', '-o', 'json']))
            .stdout,
        ).items;
        expect(pullers.map((pod: any) => pod.spec.nodeName).sort()).toEqual(['k8s-node-1', 'k8s-node-2']);
        const events = (await kubectl(['get', 'events', '-n', 'jhub', '-o', 'json'])).stdout;
        expect(events).toContain('Created pod: hook-image-awaiter-');
        // The registry decides pulls by image name, on KWOK's nodes too.
        await kubectl(['run', 'typo', '-n', 'jhub', '--image=quay.io/jupyterhub/k8s-hub:4.2.O']);
        const deadline = Date.now() + 30_000;
        let table = '';
        while (!table.includes('ImagePullBackOff') && Date.now() < deadline)
          table = (await kubectl(['get', 'pod', 'typo', '-n', 'jhub'])).stdout;
        expect(table).toContain('ImagePullBackOff');
        await kubectl(['delete', 'pod', 'typo', '-n', 'jhub', '--wait=false']);
      });
    }, 300_000);

    it('enables HTTPS through cert-manager, scales to three workers, and reinstalls with every volume kept', async () => {
      const https = await run([playbook('enable-https'), '-i', site]);
      expect(https.code, https.stdout + https.stderr).toBe(0);
      await onSite(site, async (kubectl) => {
        const secret = JSON.parse((await kubectl(['get', 'secret', '-n', 'jhub', '-o', 'json'])).stdout).items;
        expect(secret.some((each: any) => each.type === 'kubernetes.io/tls')).toBe(true);
      });

      const scaled = await run([playbook('scale-cluster'), '-i', site, '-e', 'terraform_vars.worker_count=3']);
      expect(scaled.code, scaled.stdout + scaled.stderr).toBe(0);
      expect(scaled.stdout).toContain('kubernetes: up on 4 node(s)');

      const reinstalled = await run([playbook('reinstall-jhub'), '-i', site, '--yes']);
      expect(reinstalled.code, reinstalled.stdout + reinstalled.stderr).toBe(0);
      expect(reinstalled.stdout).toContain('user claims: all 6 on the Cinder volumes they had when the run started');
      expect(await bindings(site)).toEqual(before);
    }, 400_000);

    it('rebuilds the cluster: a new, empty control plane, and the real PV binder gives every user their own volume back', async () => {
      const rebuilt = await run([
        playbook('rebuild-cluster'),
        '-i',
        site,
        '-e',
        'terraform_vars.worker_count=3',
        '--yes',
      ]);
      expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
      expect(rebuilt.stdout).toContain('all 5 claim(s) of jhub are Bound to their original volumes');
      const after = await bindings(site);
      expect(after).toEqual(before);

      const orphans = await run([playbook('remove-orphaned-volumes'), '-i', site]);
      expect(orphans.code, orphans.stdout + orphans.stderr).toBe(0);
      // The hub's database volumes of the old cluster and the other namespace's user have no PV on the new one.
      expect(orphans.stdout).toMatch(/hub-db-dir/);
    }, 400_000);

    it('upgrades Kubernetes by one minor as Kubespray would, and says the control plane kept the release of its binaries', async () => {
      const [major, minor] = version.replace(/^v/, '').split('.').map(Number) as [number, number];
      const next = `v${major}.${minor + 1}.0`;
      const refused = await run([
        playbook('upgrade-cluster'),
        '-i',
        site,
        '-e',
        `kube_version=v${major}.${minor + 2}.0`,
      ]);
      expect(refused.code).toBe(4);
      const upgraded = await run([playbook('upgrade-cluster'), '-i', site, '-e', `kube_version=${next}`]);
      expect(upgraded.code, upgraded.stdout + upgraded.stderr).toBe(0);
      expect(upgraded.stdout).toContain(
        `at ${version}: Kubespray's stand-in installed ${next}, and this control plane kept ${version}, the release of the binaries built here`,
      );
      expect(await bindings(site)).toEqual(before);
    }, 300_000);
  },
);

describe('sandbox.control_plane: real where the control plane is not built', () => {
  it('stops before anything is made, naming what is missing and the command that builds it', async () => {
    const site = await sandboxSiteCopy({ control_plane: 'real' });
    const before = process.env['JHUB_CONTROL_PLANE_CACHE'];
    process.env['JHUB_CONTROL_PLANE_CACHE'] = `${site}/no-build`;
    try {
      const refused = await run([playbook('deploy-jhub'), '-i', site]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('sandbox.control_plane is real, but ');
      expect(refused.stderr).toContain('kube-apiserver');
      expect(refused.stderr).toContain('npm run build:control-plane builds them');
      expect(refused.runner.calls).toEqual([]);
      expect(existsSync(`${site}/.state`) ? readdirSync(`${site}/.state`) : []).toEqual([]);
      expect(existsSync(`${site}/terraform/terraform.tfstate`)).toBe(false);
    } finally {
      if (before === undefined) delete process.env['JHUB_CONTROL_PLANE_CACHE'];
      else process.env['JHUB_CONTROL_PLANE_CACHE'] = before;
    }
  });
});
