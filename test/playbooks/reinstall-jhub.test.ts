import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObjects } from '../helpers/site-objects.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));

function claimVolumes(site: string): Map<string, string> {
  const objects = siteObjects(site);
  const volumes = new Map(objects.filter((object) => object.kind === 'PersistentVolume').map((pv) => [pv.metadata.name, pv.spec.csi?.volumeHandle]));
  return new Map(objects.filter((object) => object.kind === 'PersistentVolumeClaim').map((pvc) => [pvc.metadata.name, volumes.get(pvc.spec.volumeName)]));
}

describe('reinstall-jhub on the simulated site', () => {
  it('uninstalls and installs again; the namespace, every user claim and volume and the running servers stay; the old hub database volume is kept', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 8, servers: 3, namespace: 'jhub' } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const before = claimVolumes(site);
    const namespaceUid = siteObjects(site).find((object) => object.kind === 'Namespace' && object.metadata.name === 'jhub').metadata.uid;

    const run = await runApp([playbook('reinstall-jhub.yml'), '-i', site, '--yes']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/changed +uninstall (release )?jhub/);
    expect(run.stdout).toContain('all 8 claim(s) of jhub are Bound to their original volumes');
    const after = claimVolumes(site);
    for (const [claim, volume] of before) if (claim.startsWith('claim-')) expect(after.get(claim), claim).toBe(volume);
    expect(after.get('hub-db-dir')).not.toBe(before.get('hub-db-dir'));
    const oldHubDb = siteObjects(site).find((object) => object.kind === 'PersistentVolume' && object.spec.csi?.volumeHandle === before.get('hub-db-dir'));
    expect(oldHubDb.status.phase).toBe('Released');
    // Named at the end, with the two commands that remove it once the operator is sure.
    expect(run.stdout).toContain(
      `Released: PV ${oldHubDb.metadata.name} (Cinder volume ${before.get('hub-db-dir')}), was jhub/hub-db-dir, kept by Retain with the old data; once you are sure, kubectl delete pv ${oldHubDb.metadata.name}, then playbooks/remove-orphaned-volumes.yml lists its Cinder volume`,
    );
    expect(siteObjects(site).find((object) => object.kind === 'Namespace' && object.metadata.name === 'jhub').metadata.uid).toBe(namespaceUid);
    // The users' servers are KubeSpawner's pods, not the release's: helm leaves them running on their volumes.
    const servers = siteObjects(site).filter((object) => object.kind === 'Pod' && object.metadata.labels?.component === 'singleuser-server');
    expect(servers.map((pod) => [pod.metadata.name, pod.status.phase, pod.spec.volumes[0].persistentVolumeClaim.claimName])).toEqual([
      ['jupyter-user01', 'Running', 'claim-user01'],
      ['jupyter-user02', 'Running', 'claim-user02'],
      ['jupyter-user03', 'Running', 'claim-user03'],
    ]);
    expect(run.stdout).toContain('user servers: 3 (3 Running)');
  }, 120_000);

  it("resumes after a SIGKILL while helm waits for its hook Job: the killed run's helm finishes against the next run's API, with no wait for its timeout", async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' }, workloads: { job_seconds: 5 } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const before = claimVolumes(site);
    const { kubectl } = await kubeBinaries('v33');
    const running = execa(process.execPath, [bin, playbook('reinstall-jhub.yml'), '-i', site, '--yes', '--json'], { reject: false });
    // The hook Job is in the API once helm has made it; helm then waits for it to complete.
    const hookJob = async () =>
      (await execa(kubectl, ['--kubeconfig', `${site}/.state/kubeconfig`, 'get', 'jobs', '--namespace', 'jhub', '--output', 'name'], { reject: false })).stdout.includes('hook-image-awaiter');
    while (!(await hookJob())) {
      if (running.exitCode !== null) throw new Error(`the run ended before helm made its hook Job: ${String((await running).stdout).slice(-500)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    running.kill('SIGKILL');
    expect((await running).signal).toBe('SIGKILL');
    const resumed = await runApp([playbook('reinstall-jhub.yml'), '-i', site, '--yes', '--resume']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('all 2 claim(s) of jhub are Bound to their original volumes');
    const after = claimVolumes(site);
    for (const [claim, volume] of before) if (claim.startsWith('claim-')) expect(after.get(claim), claim).toBe(volume);
  }, 180_000);
});
