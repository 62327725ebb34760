import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SiteJournal } from '../../sandbox/site/site-journal.js';
import { onSite, until, userManifests } from '../helpers/on-site.js';
import { jsonEvents, runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { openstackTestsRun } from '../helpers/openstack-client.js';
import { runWrites } from '../helpers/site-objects.js';
import { tempDir } from '../helpers/temp-dir.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/pv-restore/${name}`, import.meta.url));

interface Owner {
  uid: string;
  phase: string;
  volume: string | undefined;
  handle: string | undefined;
}

interface SiteVolumes {
  /** Claims of jhub, by name. */
  claims: Map<string, Owner>;
  /** Volumes by name: who holds them (namespace/name and uid), and their cloud volume. */
  volumes: Map<string, { holder: string | undefined; uid: string | undefined; handle: string; phase: string; storageClassName: string }>;
  /** The simulated cloud's Cinder volume ids. */
  cinder: Set<string>;
}

/** Every claim and volume of the site, from its journal: what a person checks after a rebuild. */
function siteVolumes(site: string): SiteVolumes {
  const saved = new SiteJournal(`${site}/.state/cluster.jsonl`).load();
  const objects = [...saved.objects.values()].map((entry) => entry.object);
  const volumes = new Map(
    objects
      .filter((object) => object.kind === 'PersistentVolume')
      .map((pv) => [
        pv.metadata.name as string,
        {
          holder: pv.spec.claimRef ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : undefined,
          uid: pv.spec.claimRef?.uid,
          handle: pv.spec.csi?.volumeHandle ?? pv.spec.cinder?.volumeID,
          phase: pv.status?.phase,
          storageClassName: pv.spec.storageClassName,
        },
      ]),
  );
  const claims = new Map(
    objects
      .filter((object) => object.kind === 'PersistentVolumeClaim' && object.metadata.namespace === 'jhub')
      .map((pvc) => [pvc.metadata.name as string, { uid: pvc.metadata.uid, phase: pvc.status?.phase, volume: pvc.spec.volumeName, handle: volumes.get(pvc.spec.volumeName)?.handle }]),
  );
  return { claims, volumes, cinder: new Set(saved.volumes.keys()) };
}

/** Each user claim is Bound to the volume and cloud volume it had before, as a new claim (new uid) that the volume records. */
function expectUsersBack(before: SiteVolumes, after: SiteVolumes, users: string[]): void {
  for (const user of users) {
    const was = before.claims.get(user)!;
    const now = after.claims.get(user);
    expect(now, user).toBeDefined();
    expect({ phase: now!.phase, volume: now!.volume, handle: now!.handle }, user).toEqual({ phase: 'Bound', volume: was.volume, handle: was.handle });
    expect(now!.uid, `${user} is a claim made anew`).not.toBe(was.uid);
    expect(after.volumes.get(now!.volume!), user).toMatchObject({ holder: `jhub/${user}`, uid: now!.uid, phase: 'Bound' });
  }
}

/** A deployed site whose backup the operator kept (taken by its own step), and then whose Kubernetes died: the cloud and its volumes remain, no API server answers. */
async function deadSiteWithKeptBackup(users: number): Promise<{ site: string; before: SiteVolumes; kept: string }> {
  const site = await sandboxSiteCopy({ seed: { users, namespace: 'jhub' } });
  expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
  const before = siteVolumes(site);
  const kept = `${await tempDir()}/kept`;
  writeFileSync(`${site}/../backup.yml`, `name: Back up\nsteps:\n  - name: Back up jhub\n    kubectl.backup_volumes: {namespace: jhub, dir: "${kept}"}\n`);
  expect((await runApp([`${site}/../backup.yml`, '-i', site])).code).toBe(0);
  rmSync(`${site}/.state/cluster.json`);
  return { site, before, kept };
}

const userClaims = (state: SiteVolumes) => [...state.claims.keys()].filter((name) => name.startsWith('claim-'));

describe('rebuild-cluster gives every volume back to its owner, and to no one else', () => {
  it('keeps a deleted user\'s Released volume for them alone; a new user and the hub\'s hub-db-dir, of the same class, get new volumes; another namespace\'s volume is left alone', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 4, servers: 1, namespace: 'jhub', in_tree_users: 2, deleted_users: 1, other_namespaces: { grading: 1 } } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const before = siteVolumes(site);
    const users = userClaims(before);
    expect(users).toEqual(['claim-user01', 'claim-user02', 'claim-user03', 'claim-user04']);
    const [goneVolume, gone] = [...before.volumes].find(([, volume]) => volume.holder === 'jhub/claim-gone01')!;
    expect(gone.phase).toBe('Released');
    const grading = [...before.volumes.values()].find((volume) => volume.holder === 'grading/claim-user01')!;

    const rebuilt = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes']);
    expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(new RegExp(`claim-gone01 <- ${goneVolume} \\(cloud volume ${gone.handle}\\): pre-bound to the claim of a deleted user, kept for their return`));
    expect(rebuilt.stdout).toMatch(new RegExp(`left out: pvc-\\S+ \\(cloud volume ${grading.handle}\\): grading/claim-user01, another namespace; not touched`));
    const after = siteVolumes(site);
    expectUsersBack(before, after, users);
    // The deleted user's volume is back, reserved for their claim's name: Available to that claim and no other.
    expect(after.volumes.get(goneVolume)).toEqual({ holder: 'jhub/claim-gone01', uid: undefined, handle: gone.handle, phase: 'Available', storageClassName: 'cinder-csi' });
    // hub-db-dir has the users' class, and a volume of its own.
    const hubDb = after.claims.get('hub-db-dir')!;
    const restoredHandles = new Set([...users.map((user) => before.claims.get(user)!.handle), gone.handle]);
    expect(hubDb.phase).toBe('Bound');
    expect(restoredHandles.has(hubDb.handle)).toBe(false);
    expect(after.volumes.get(hubDb.volume!)!.storageClassName).toBe(after.volumes.get(after.claims.get('claim-user04')!.volume!)!.storageClassName);
    // The other namespace's Cinder volume went through the rebuild untouched.
    expect(after.cinder.has(grading.handle)).toBe(true);
    const report = JSON.parse(readFileSync(`${site}/.state/backups/${rebuilt.stdout.match(/rebuild-\d{8}T\d{6}\.\d{3}Z/)![0]}/restore-report.json`, 'utf8'));
    expect(report.restored.filter((entry: any) => entry.kind === 'released')).toEqual([{ claim: 'claim-gone01', volume: goneVolume, cloud_volume: gone.handle, kind: 'released' }]);

    await onSite(site, async (kubectl) => {
      // A new user's first server right after the restore: a new volume, never a restored one.
      expect((await kubectl(['apply', '-f', '-'], userManifests('newbie'))).exitCode).toBe(0);
      const newbie = await until(kubectl, ['get', 'pvc', 'claim-newbie', '-n', 'jhub'], (claim) => claim.status?.phase === 'Bound');
      expect(newbie.spec.volumeName).not.toBe(goneVolume);
      const newbieVolume = JSON.parse((await kubectl(['get', 'pv', newbie.spec.volumeName, '-o', 'json'])).stdout);
      expect(restoredHandles.has(newbieVolume.spec.csi.volumeHandle)).toBe(false);
      // The deleted user comes back: their claim binds the volume kept for them.
      expect((await kubectl(['apply', '-f', '-'], userManifests('gone01'))).exitCode).toBe(0);
      const returned = await until(kubectl, ['get', 'pvc', 'claim-gone01', '-n', 'jhub'], (claim) => claim.status?.phase === 'Bound');
      expect(returned.spec.volumeName).toBe(goneVolume);
    });
    const last = siteVolumes(site);
    expect(last.claims.get('claim-gone01')!.handle).toBe(gone.handle);
    expect(last.volumes.get(goneVolume)!.uid).toBe(last.claims.get('claim-gone01')!.uid);
  }, 180_000);

  it('refuses to install a hub while a restore is pending, and refuses the restore before any write when a server took a claim early; nothing is misplaced', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub', in_tree_users: 1 } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const before = siteVolumes(site);
    const partial = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '--tags', 'backup,infrastructure,cluster']);
    expect(partial.code, partial.stdout + partial.stderr).toBe(0);

    // deploy-jhub alone, mid-rebuild: refused before anything runs.
    const deploy = await runApp([playbook('deploy-jhub.yml'), '-i', site]);
    expect(deploy.code).toBe(4);
    expect(deploy.stderr).toMatch(/^refused to install JupyterHub into jhub: a restore of its claims is pending since \S+ \(run [\w.]+ of \S*rebuild-cluster.yml, backup \S+\)/);
    expect(deploy.stderr).toContain(`rebuild-cluster.yml -i ${site} --resume`);
    expect(deploy.stderr).toContain(`run release-restore jhub -i ${site} --yes`);
    expect(deploy.runner.calls).toEqual([]);
    const https = await runApp([playbook('enable-https.yml'), '-i', site, '--check']);
    expect(https.code).toBe(4);

    // A server started by hand before the restore: its claim gets a new, empty volume.
    await onSite(site, async (kubectl) => {
      expect((await kubectl(['apply', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata: {name: jhub}\n---\n${userManifests('user01')}`)).exitCode).toBe(0);
      await until(kubectl, ['get', 'pvc', 'claim-user01', '-n', 'jhub'], (claim) => claim.status?.phase === 'Bound');
    });
    const early = siteVolumes(site).claims.get('claim-user01')!;
    expect(early.handle).not.toBe(before.claims.get('claim-user01')!.handle);

    const refused = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '--resume']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(4);
    expect(refused.stdout).toContain(`claim claim-user01 exists, holding volume ${early.volume} (cloud volume ${early.handle}), not ${before.claims.get('claim-user01')!.volume} (cloud volume ${before.claims.get('claim-user01')!.handle})`);
    expect(runWrites(refused.stdout)).toEqual({ api: 0, cloud: 0 });
    const held = siteVolumes(site);
    expect(held.claims.get('claim-user01')).toEqual(early);
    expect(held.volumes.has(before.claims.get('claim-user01')!.volume!)).toBe(false);
    expect(held.cinder.has(before.claims.get('claim-user01')!.handle!)).toBe(true);
    // Before anyone releases the restore, it shows who is not back: the early claim, on its new volume.
    const release = await runApp(['release-restore', 'jhub', '-i', site]);
    expect(release.code).toBe(4);
    expect(release.stdout).toMatch(/^not restored in jhub: \d+ of the \d+ claim\(s\) of \S+pvc-restore\.json: /);
    expect(release.stdout).toContain(`claim-user01 (on cloud volume ${early.handle}, not ${before.claims.get('claim-user01')!.handle})`);
    expect(existsSync(`${site}/.state/restores/jhub.json`)).toBe(true);

    // The remedy the README gives: stop that server, delete its claim, resume.
    await onSite(site, async (kubectl) => {
      expect((await kubectl(['delete', 'pod', 'jupyter-user01', '-n', 'jhub'])).exitCode).toBe(0);
      expect((await kubectl(['delete', 'pvc', 'claim-user01', '-n', 'jhub'])).exitCode).toBe(0);
    });
    const resumed = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '--resume']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expectUsersBack(before, siteVolumes(site), userClaims(before));
    expect(existsSync(`${site}/.state/restores/jhub.json`)).toBe(false);
  }, 180_000);

  it('refuses a resumed rebuild whose backup misses a user who logged in after it was taken, naming them, before anything is destroyed', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    // Stopped between the backup and the destroy (here by --tags; a kill or a refusal leaves the same journal).
    expect((await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '--tags', 'backup'])).code).toBe(0);
    await onSite(site, async (kubectl) => {
      expect((await kubectl(['apply', '-f', '-'], userManifests('latecomer'))).exitCode).toBe(0);
      await until(kubectl, ['get', 'pvc', 'claim-latecomer', '-n', 'jhub'], (claim) => claim.status?.phase === 'Bound');
    });
    const latecomer = siteVolumes(site).claims.get('claim-latecomer')!;
    const resumed = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '--resume']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(4);
    expect(resumed.stdout).toContain(`does not match what it protects now: it does not hold 1 claim(s) Bound in jhub now, as they are: claim-latecomer (volume ${latecomer.volume})`);
    expect(runWrites(resumed.stdout).cloud).toBe(0);
    expect(siteVolumes(site).claims.get('claim-latecomer')).toEqual(latecomer);
  }, 180_000);

  it('restores every user from a kept backup when the old cluster is already gone', async () => {
    const { site, before, kept } = await deadSiteWithKeptBackup(3);
    const rebuilt = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', `backup_dir=${kept}`]);
    expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(/no cluster answers \([^)]*\): it has no live volumes left to set Retain on/);
    expectUsersBack(before, siteVolumes(site), userClaims(before));
  }, 180_000);

  it('brings another namespace\'s claims back with the two runs the rebuild names: its backup before, its restore after', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub', other_namespaces: { grading: 2 } } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const held = (state: SiteVolumes) => [...state.volumes.values()].filter((volume) => volume.holder?.startsWith('grading/')).map(({ holder, handle }) => ({ holder, handle })).sort((a, b) => a.holder!.localeCompare(b.holder!));
    const grading = held(siteVolumes(site));
    expect(grading).toHaveLength(2);

    const backedUp = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--tags', 'backup', '-e', 'namespace=grading']);
    expect(backedUp.code, backedUp.stdout + backedUp.stderr).toBe(0);
    const backup = `${site}/.state/backups/${backedUp.stdout.match(/rebuild-\d{8}T\d{6}\.\d{3}Z/)![0]}`;
    const rebuilt = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes']);
    expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain('claims of other namespaces, grading (2), are not in this backup');
    expect(rebuilt.stdout).toContain('(rebuild-cluster.yml --tags restore -e namespace=grading -e backup_dir=<that backup\'s folder>)');
    expect(held(siteVolumes(site)), 'the new cluster has no claim of grading yet').toEqual([]);

    const restored = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--tags', 'restore', '-e', 'namespace=grading', '-e', `backup_dir=${backup}`]);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(restored.stdout).toContain('all 2 claim(s) of grading are Bound to their original volumes');
    expect(held(siteVolumes(site))).toEqual(grading);
  }, 180_000);

  it.runIf(openstackTestsRun)("refuses, before anything is destroyed, a kept backup whose user's Cinder volume was deleted by hand, naming the claim", async () => {
    const { site, before, kept } = await deadSiteWithKeptBackup(2);
    // Then someone removes user02's disk with the openstack client.
    const lost = before.claims.get('claim-user02')!;
    await onSite(site, async (_kubectl, openstack) => {
      const deleted = await openstack(['volume', 'delete', lost.handle!]);
      expect(deleted.exitCode, deleted.stderr).toBe(0);
    });
    const refused = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', `backup_dir=${kept}`]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(4);
    expect(refused.stdout).toContain(`1 volume(s) of ${kept}/pv-restore.json are not in the cloud any more: claim-user02 (PV ${lost.volume}, cloud volume ${lost.handle})`);
    expect(refused.stdout).toContain('Nothing was destroyed');
    expect(runWrites(refused.stdout).cloud).toBe(0);
    // Refused before the destroy: no restore is left pending to block the hub or a new run.
    expect(refused.stderr).toContain('nothing was destroyed, so the restore of jhub this run opened is not left pending');
    expect(existsSync(`${site}/.state/restores/jhub.json`)).toBe(false);
    // user01's volume is still there for a rebuild that leaves user02 out, as the refusal says.
    expect(siteVolumes(site).cinder.has(before.claims.get('claim-user01')!.handle!)).toBe(true);
    const without = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', `backup_dir=${kept}`, '-e', '{"skip_claims": ["hub-db-dir", "claim-user02"]}', '-e', 'run_id=without-user02']);
    expect(without.code, without.stdout + without.stderr).toBe(0);
    expectUsersBack(before, siteVolumes(site), ['claim-user01']);
  }, 180_000);

  it('refuses a reused run_id whose backup misses a user added since, before anything is destroyed; run_id is a plain name', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    expect((await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', 'run_id=first'])).code).toBe(0);
    await onSite(site, async (kubectl) => {
      expect((await kubectl(['apply', '-f', '-'], userManifests('newbie'))).exitCode).toBe(0);
      await until(kubectl, ['get', 'pvc', 'claim-newbie', '-n', 'jhub'], (claim) => claim.status?.phase === 'Bound');
    });
    const newbie = siteVolumes(site).claims.get('claim-newbie')!;
    const again = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', 'run_id=first']);
    expect(again.code, again.stdout + again.stderr).toBe(4);
    // The new user's claim, and the hub-db-dir made on the rebuilt cluster: neither is in the old backup.
    expect(again.stdout).toContain(`was taken before 2 claim(s) now Bound in the cluster: claim-newbie (volume ${newbie.volume}), hub-db-dir (volume`);
    expect(runWrites(again.stdout)).toEqual({ api: 0, cloud: 0 });
    expect(siteVolumes(site).claims.get('claim-newbie')).toEqual(newbie);

    const escape = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', 'run_id=../../x']);
    expect(escape.code).toBe(3);
    expect(escape.stderr).toContain('run_id must be a plain name');
    expect(escape.stderr).toContain('not "../../x" (set by extra vars (-e))');
    expect(escape.runner.calls).toEqual([]);
    expect(existsSync(`${site}/x.jsonl`)).toBe(false);
  }, 180_000);

  it('restores a hand-taken YAML backup (the seed\'s kubectl get -o yaml), leaving out and naming another namespace\'s volume', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub', other_namespaces: { grading: 1 } } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const before = siteVolumes(site);
    const backup = `${await tempDir()}/by-hand`;
    mkdirSync(backup);
    await onSite(site, async (kubectl) => {
      writeFileSync(`${backup}/pvc.yaml`, (await kubectl(['get', 'pvc', '-n', 'jhub', '-o', 'yaml'])).stdout);
      writeFileSync(`${backup}/pv.yaml`, (await kubectl(['get', 'pv', '-o', 'yaml'])).stdout);
    });
    const rebuilt = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', `backup_dir=${backup}`]);
    expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain(`${backup} already holds a backup of 4 claim(s) and 4 volume(s); kept as it is, and it holds every claim Bound in the cluster now`);
    expect(rebuilt.stdout).toMatch(/left out: pvc-\S+ \(grading\/claim-user01\): belongs to namespace grading, which this restore does not touch/);
    expectUsersBack(before, siteVolumes(site), userClaims(before));
    expect(existsSync(`${backup}/pv-restore.json`) && existsSync(`${backup}/pvc-restore.json`)).toBe(true);
  }, 180_000);

  it('rehearses a CSI-era backup (attacher finalizers, topology, a Released volume, another namespace\'s claim of the same name): each user back, nothing else touched', async () => {
    const backup = await tempDir();
    cpSync(fixture('pv-csi.yaml'), `${backup}/pv.yaml`);
    cpSync(fixture('pvc-csi.yaml'), `${backup}/pvc.yaml`);
    const site = await sandboxSiteCopy({ seed: { from_backup: backup } });
    const deploy = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--check']);
    expect(deploy.stderr).toContain('and 1 claim(s) of other namespaces their volumes are bound to');
    const before = siteVolumes(site);
    // Seeded as the backup says: the other namespace's volume stays Bound to its claim, the deleted user's Released.
    expect(before.volumes.get('pvc-7a8b9c0d-1e2f-4a3b-b4c5-d6e7f8a9b0c1')).toMatchObject({ holder: 'grading/claim-ana', phase: 'Bound' });
    expect(before.volumes.get('pvc-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9')).toMatchObject({ holder: 'jhub/claim-dee', phase: 'Released' });

    const rebuilt = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '--json']);
    const events = jsonEvents(rebuilt.stdout);
    expect(rebuilt.code, JSON.stringify(events.filter((event) => event.type === 'step:end' && event.status === 'failed'))).toBe(0);
    const backupPlan = events.find((event) => event.type === 'step:plan' && event.plugin === 'kubectl.backup_volumes') as any;
    expect(backupPlan.details).toEqual([
      'left out: pvc-7a8b9c0d-1e2f-4a3b-b4c5-d6e7f8a9b0c1 (cloud volume 55555555-6666-4777-8888-999999999999): grading/claim-ana, another namespace; not touched',
      expect.stringMatching(/^claims of other namespaces, grading \(1\), are not in this backup/),
    ]);
    const after = siteVolumes(site);
    expectUsersBack(before, after, ['claim-ana', 'claim-ben', 'claim-chi-2ewu']);
    expect(after.volumes.get('pvc-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9')).toMatchObject({ holder: 'jhub/claim-dee', uid: undefined, phase: 'Available', handle: '44444444-5555-4666-8777-888888888888' });
    expect(after.cinder.has('55555555-6666-4777-8888-999999999999')).toBe(true);
    expect(after.claims.get('hub-db-dir')!.handle).not.toBe(before.claims.get('hub-db-dir')!.handle);
  }, 180_000);
});
