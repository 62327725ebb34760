import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { openstackTestsRun } from '../helpers/openstack-client.js';
import { onSite } from '../helpers/on-site.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { editedSnapshot } from '../helpers/snapshot-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const playbook = (name: string) => `${root}/playbooks/${name}`;

/** What a twin must reproduce of its site, read with kubectl and the openstack client: names, bindings and volume IDs, not the server's bookkeeping. */
async function siteShape(site: string) {
  return onSite(site, async (kubectl, openstack) => {
    const get = async (args: string[]) => JSON.parse((await kubectl([...args, '-o', 'json'])).stdout).items as any[];
    const nodes = (await get(['get', 'nodes'])).map((node) => ({
      name: node.metadata.name,
      taints: node.spec.taints ?? [],
      role: Object.keys(node.metadata.labels).filter((label) => label.startsWith('node-role')),
      zone: node.metadata.labels['topology.cinder.csi.openstack.org/zone'],
    }));
    const classes = (await get(['get', 'storageclasses'])).map((each) => ({
      name: each.metadata.name,
      provisioner: each.provisioner,
      default: each.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    }));
    const pvs = (await get(['get', 'pv'])).map((pv) => ({
      name: pv.metadata.name,
      volume: pv.spec.csi?.volumeHandle ?? pv.spec.cinder?.volumeID,
      phase: pv.status.phase,
      claim: pv.spec.claimRef ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : '',
      reclaim: pv.spec.persistentVolumeReclaimPolicy,
      class: pv.spec.storageClassName,
    }));
    const claims = (await get(['get', 'pvc', '-n', 'jhub'])).map((pvc) => ({
      name: pvc.metadata.name,
      uid: pvc.metadata.uid,
      volume: pvc.spec.volumeName,
      phase: pvc.status.phase,
    }));
    const volumes = (JSON.parse((await openstack(['volume', 'list', '--long', '-f', 'json'])).stdout) as any[]).map(
      (volume) => ({ id: volume.ID, name: volume.Name, size: volume.Size }),
    );
    const quota = JSON.parse((await openstack(['quota', 'show', '-f', 'json'])).stdout);
    const floatingIps = (JSON.parse((await openstack(['floating', 'ip', 'list', '-f', 'json'])).stdout) as any[]).map(
      (ip) => ip['Floating IP Address'],
    );
    const sort = <T extends { name?: string; id?: string }>(list: T[]) =>
      list.sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
    return {
      nodes: sort(nodes),
      classes: sort(classes),
      pvs: sort(pvs),
      claims: sort(claims),
      volumes: sort(volumes),
      quota: { volumes: quota.volumes, snapshots: quota.snapshots, gigabytes: quota.gigabytes },
      floatingIps,
    };
  });
}

describe('rehearsing a site from its snapshot', () => {
  it.runIf(openstackTestsRun)(
    "makes a twin with the site's nodes, classes, volumes, bindings, release and quotas, and ends a rebuild on it with each user's before and after",
    async () => {
      // The site: CSI and in-tree users, a deleted user's Released volume, another namespace, HTTPS, three workers, a quota, a class the sandbox cannot provision.
      const site = await sandboxSiteCopy(
        { seed: { users: 4, in_tree_users: 2, deleted_users: 1, other_namespaces: { grading: 1 } }, cloud: { quota: { volumes: 40, gigabytes: 900 } } },
        { terraform_vars: { worker_count: 3 } },
      );
      for (const args of [[playbook('deploy-jhub.yml')], [playbook('enable-https.yml')], [playbook('scale-cluster.yml')]]) {
        const run = await runApp([...args, '-i', site, '--yes']);
        expect(run.code, `${args[0]}: ${run.stdout}${run.stderr}`).toBe(0);
      }
      await onSite(site, async (kubectl) => {
        const classes = [
          'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: standard}\nprovisioner: kubernetes.io/cinder\nreclaimPolicy: Delete\n',
          'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: nfs}\nprovisioner: nfs.csi.k8s.io\n',
        ].join('---\n');
        expect((await kubectl(['apply', '-f', '-'], classes)).exitCode).toBe(0);
      });
      const snapshot = `${await tempDir()}/snapshot`;
      const taken = await runApp(['snapshot', '-i', site, '-o', snapshot]);
      expect(taken.code, taken.stderr).toBe(0);

      const twin = await sandboxSiteCopy({ from_snapshot: snapshot }, { terraform_vars: { worker_count: 3 } });
      const check = await runApp([playbook('deploy-jhub.yml'), '-i', twin, '--check']);
      expect(check.stderr).toMatch(
        new RegExp(`^sandbox seeded: twin of site sandbox from ${snapshot} \\(taken \\S+\\): Kubernetes v1\\.33\\.9-sim there, 1\\.33\\.9 here \\(toolchain v33\\)$`, 'm'),
      );
      expect(check.stderr).toMatch(/^sandbox seeded: workers: 3, as at the site/m);
      expect(check.stderr).toMatch(/^sandbox seeded: release: jhub jupyterhub-4\.2\.0 with the site's values \(its secrets made anew\)$/m);
      expect(await siteShape(twin)).toEqual(await siteShape(site));

      // Every user is as at the site; what the twin cannot model is said, the unknown provisioner first.
      const report = check.stdout.slice(check.stdout.indexOf('rehearsal against the snapshot'));
      expect(report).toMatch(/^rehearsal against the snapshot of site sandbox \(\S+, taken \S+\): 5 kept\n/);
      for (const user of ['user01', 'user02', 'user03', 'user04']) expect(report).toMatch(new RegExp(`claim-${user} +\\S+ +\\S+ +Bound → Bound +kept\\n`));
      expect(report).toMatch(/claim-gone01 \(deleted user\) +\S+ +cinder-csi +Released → volume kept +kept\n/);
      expect(report).toMatch(/not rehearsed here:\n {4}storage class nfs: provisioner nfs\.csi\.k8s\.io is not one the sandbox knows/);

      // The rehearsal itself: a rebuild of the twin gives each user back their own volume.
      const rebuild = await runApp([playbook('rebuild-cluster.yml'), '-i', twin, '--yes']);
      expect(rebuild.code, rebuild.stdout + rebuild.stderr).toBe(0);
      const after = rebuild.stdout.slice(rebuild.stdout.indexOf('rehearsal against the snapshot'));
      expect(after).toMatch(/: 4 restored, 1 kept\n/);
      for (const user of ['user01', 'user02', 'user03', 'user04']) expect(after).toMatch(new RegExp(`claim-${user} +\\S+ +\\S+ +Bound → Bound +restored\\n`));
      expect(after).not.toMatch(/ON ANOTHER VOLUME|left out/);
    },
    300_000,
  );

  it.runIf(openstackTestsRun)(
    "takes the nearest toolchain for another Kubernetes release, and a chart version only once the operator serves it",
    async () => {
      const site = await sandboxSiteCopy({ seed: { users: 2 } });
      expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
      const snapshot = `${await tempDir()}/snapshot`;
      expect((await runApp(['snapshot', '-i', site, '-o', snapshot])).code).toBe(0);
      const older = await editedSnapshot(snapshot, {
        'kubernetes/version.json': (version) => ({ ...version, serverVersion: { ...version.serverVersion, minor: '29', gitVersion: 'v1.29.7' } }),
        'helm/release.json': (release) => ({ ...release, chart: 'jupyterhub-3.3.8', app_version: '4.1.5' }),
      });

      const twin = await sandboxSiteCopy({ from_snapshot: older });
      const refused = await runApp([playbook('deploy-jhub.yml'), '-i', twin, '--check']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(
        /the site's release jhub runs jupyterhub-3\.3\.8, which the sandbox's chart repository does not serve \(it serves jupyterhub-4\.2\.0\)\. Fetch the chart's archive .*helm pull jupyterhub\/jupyterhub --version 3\.3\.8.* sandbox\.charts: \[path\/to\/jupyterhub-3\.3\.8\.tgz\]/,
      );
      expect(refused.runner.calls).toHaveLength(0);

      // Values the stand-in chart refuses stop the twin with what to do; once they are fixed, the same twin is made whole.
      const unknownValue = await editedSnapshot(snapshot, { 'helm/values.json': (values) => ({ ...values, hubb: { x: 1 } }) });
      const twinOfFixed = await sandboxSiteCopy({ from_snapshot: unknownValue });
      const stopped = await runApp([playbook('deploy-jhub.yml'), '-i', twinOfFixed, '--check']);
      expect(stopped.code).toBe(3);
      expect(stopped.stderr).toMatch(/the twin's release could not be installed with the site's values: [\s\S]*additional properties 'hubb' not allowed[\s\S]*serve the released chart's archive/);
      const site2 = parse(readFileSync(`${twinOfFixed}/site.yml`, 'utf8'));
      writeFileSync(`${twinOfFixed}/site.yml`, stringify({ ...site2, sandbox: { ...site2.sandbox, from_snapshot: snapshot } }));
      const made = await runApp([playbook('deploy-jhub.yml'), '-i', twinOfFixed, '--check']);
      expect(made.stderr).toMatch(/^sandbox seeded: release: jhub jupyterhub-4\.2\.0 with the site's values/m);
      expect(made.stdout).toMatch(/rehearsal against the snapshot of site sandbox \(\S+, taken \S+\): 2 kept\n/);

      // The operator's archive of that version, served beside the sandbox's own chart.
      const charts = await tempDir();
      cpSync(`${root}/sandbox/charts/jupyterhub`, `${charts}/jupyterhub`, { recursive: true });
      const chartYaml = parse(readFileSync(`${charts}/jupyterhub/Chart.yaml`, 'utf8'));
      writeFileSync(`${charts}/jupyterhub/Chart.yaml`, stringify({ ...chartYaml, version: '3.3.8' }));
      const { helm } = await kubeBinaries('v30');
      execFileSync(helm, ['package', `${charts}/jupyterhub`, '--destination', charts]);
      rmSync(`${charts}/jupyterhub`, { recursive: true });
      // Without sandbox.toolchain the twin takes the toolchain nearest the site's release.
      const served = await sandboxSiteCopy({
        from_snapshot: older,
        charts: [`${charts}/jupyterhub-3.3.8.tgz`],
        toolchain: undefined,
      });
      const check = await runApp([playbook('deploy-jhub.yml'), '-i', served, '--check']);
      expect(check.stderr).toMatch(/^sandbox seeded: twin of site sandbox from \S+ \(taken \S+\): Kubernetes v1\.29\.7 there, the nearest the sandbox has: 1\.30\.0 here \(toolchain v30\)$/m);
      expect(check.stdout).toMatch(/helm releases: jhub\/jhub jupyterhub-3\.3\.8 deployed \(revision 1\)/);
    },
    240_000,
  );
});
