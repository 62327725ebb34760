import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloudOperations } from '../../sandbox/cloud/cloud-ledger.js';
import { onSite } from '../helpers/on-site.js';
import { openstackTestsRun } from '../helpers/openstack-client.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObjects } from '../helpers/site-objects.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));

/** Each claim of the namespace and the Cinder volume behind it now. */
function claimVolumes(site: string): Record<string, string> {
  const objects = siteObjects(site);
  const volumes = new Map(
    objects
      .filter((object) => object.kind === 'PersistentVolume')
      .map((pv) => [pv.metadata.name, pv.spec.csi?.volumeHandle ?? pv.spec.cinder?.volumeID]),
  );
  return Object.fromEntries(
    objects
      .filter((object) => object.kind === 'PersistentVolumeClaim' && object.metadata.namespace === 'jhub')
      .map((pvc) => [pvc.metadata.name, volumes.get(pvc.spec.volumeName)]),
  );
}

describe.runIf(openstackTestsRun)('volume-snapshots on the simulated site, with the real openstack client', () => {
  let site: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    site = await sandboxSiteCopy({ seed: { users: 3, servers: 1, namespace: 'jhub' } });
    const reinstall = await runApp([playbook('reinstall-jhub.yml'), '-i', site, '--yes', '-e', 'run_id=r1']);
    expect(reinstall.code, reinstall.stdout + reinstall.stderr).toBe(0);
    before = claimVolumes(site);
  }, 120_000);

  it("lists the run's snapshot of each user's volume", async () => {
    const run = await runApp([playbook('volume-snapshots.yml'), '-i', site]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('3 snapshot(s) of jhub (30 GiB) from 1 run(s)');
    for (const claim of ['claim-user01', 'claim-user02', 'claim-user03'])
      expect(run.stdout).toMatch(new RegExp(`run r1: jhub/${claim} snapshot \\S+ \\(10 GiB, available, .*\\) of volume ${before[claim]}`));
  }, 60_000);

  it("keeps a user's volume from being deleted by hand while its snapshot exists, as Cinder does", async () => {
    const refused = await onSite(site, (_kubectl, openstack) => openstack(['volume', 'delete', before['claim-user02']!]));
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('have snapshots');
  }, 60_000);

  it("refuses to take a claim from a user whose server is running, and changes nothing", async () => {
    const run = await runApp([playbook('volume-snapshots.yml'), '-i', site, '--yes', '-e', 'snapshot_run=r1', '-e', 'restore_claim=claim-user01']);
    expect(run.code, run.stdout).toBe(4);
    expect(run.stdout).toContain("claim-user01 is mounted by jupyter-user01: stop the user's server first");
    expect(claimVolumes(site)['claim-user01']).toBe(before['claim-user01']);
  }, 60_000);

  it("brings one user's files back from the snapshot onto a new volume, keeps the old one, and a rerun changes nothing", async () => {
    const run = await runApp([playbook('volume-snapshots.yml'), '-i', site, '--yes', '-e', 'snapshot_run=r1', '-e', 'restore_claim=claim-user02']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('all 1 claim(s) of jhub are Bound to their original volumes');
    const after = claimVolumes(site);
    expect(after['claim-user02']).not.toBe(before['claim-user02']);
    expect({ ...after, 'claim-user02': undefined }).toEqual({ ...before, 'claim-user02': undefined });
    const made = cloudOperations(`${site}/.state`).filter((operation) => operation.op === 'create' && operation.kind === 'volume');
    expect(made.map((operation) => operation.id)).toEqual([after['claim-user02']]);
    const shown = await onSite(site, (_kubectl, openstack) =>
      Promise.all([
        openstack(['volume', 'show', after['claim-user02']!, '-f', 'json']),
        openstack(['volume', 'show', before['claim-user02']!, '-f', 'json']),
      ]),
    );
    expect(JSON.parse(shown[0].stdout).snapshot_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(shown[1].exitCode, 'the old volume is kept').toBe(0);

    const again = await runApp([playbook('volume-snapshots.yml'), '-i', site, '--yes', '-e', 'snapshot_run=r1', '-e', 'restore_claim=claim-user02']);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('is on Cinder volume');
    expect(claimVolumes(site)).toEqual(after);
  }, 120_000);

  it("deletes the run's snapshots once every user is with a volume of their own, and lists none after", async () => {
    const run = await runApp([playbook('volume-snapshots.yml'), '-i', site, '--yes', '-e', 'delete_snapshots_of=r1']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('delete 3 snapshot(s) of run r1 in jhub (30 GiB)');
    expect(cloudOperations(`${site}/.state`).filter((operation) => operation.op === 'delete' && operation.kind === 'snapshot')).toHaveLength(3);
    const listed = await runApp([playbook('volume-snapshots.yml'), '-i', site]);
    expect(listed.stdout).toContain('0 snapshot(s) of jhub (0 GiB) from 0 run(s)');
  }, 60_000);
});
