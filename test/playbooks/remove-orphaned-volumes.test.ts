import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PendingRestores } from '../../runner/app/pending-restores.js';
import { cloudOperations } from '../../sandbox/cloud/cloud-ledger.js';
import { cloudDeletions } from '../helpers/cloud-records.js';
import { openstackTestsRun } from '../helpers/openstack-client.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObjects } from '../helpers/site-objects.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const remove = playbook('remove-orphaned-volumes.yml');
const backups = (site: string) => (existsSync(`${site}/.state/backups`) ? readdirSync(`${site}/.state/backups`).filter((name) => name.startsWith('remove-volumes-')) : []);
const boundUserClaims = (site: string) => siteObjects(site).filter((object) => object.kind === 'PersistentVolumeClaim' && String(object.metadata.name).startsWith('claim-') && object.status?.phase === 'Bound').length;

describe.runIf(openstackTestsRun)('remove-orphaned-volumes on the simulated site, with the real openstack client', () => {
  let site: string;
  let rebuildOutput: string;
  let hubDbVolume: string;
  let gradingVolume: string;

  beforeAll(async () => {
    site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub', other_namespaces: { grading: 1 } } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const rebuild = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes']);
    expect(rebuild.code, rebuild.stdout + rebuild.stderr).toBe(0);
    rebuildOutput = rebuild.stdout;
    const listed = await runApp([remove, '-i', site]);
    hubDbVolume = /(\S+) \S+ \(1 GiB, created [\d-]+, made for claim jhub\/hub-db-dir\)/.exec(listed.stdout)?.[1] ?? 'missing';
    gradingVolume = /(\S+) \S+ \(\d+ GiB, created [\d-]+, made for claim grading\/claim-user01\)/.exec(listed.stdout)?.[1] ?? 'missing';
  }, 120_000);

  it('the rebuild names the old hub database volume it left without a PV, and the command that removes it', () => {
    expect(rebuildOutput).toContain(`left without a PV: Cinder volume ${hubDbVolume} (1Gi), was `);
    expect(rebuildOutput).toContain(`list and remove them with playbooks/remove-orphaned-volumes.yml (-e delete_volumes=${hubDbVolume} --yes)`);
  });

  it('lists every volume no PV uses, marks a user\'s home volume, and deletes nothing', async () => {
    const run = await runApp([remove, '-i', site]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${hubDbVolume} pvc-\\S+ \\(1 GiB, created \\d{4}-\\d\\d-\\d\\d, made for claim jhub/hub-db-dir\\)\\n`));
    expect(run.stdout).toContain(`${gradingVolume} `);
    expect(run.stdout).toMatch(/made for claim grading\/claim-user01\): a user's home directory/);
    expect(run.stdout).toContain('2 of ');
    expect(cloudDeletions(site, 'volume')).toEqual([]);
  });

  it("refuses a user's home volume with exit 4 before anything is written", async () => {
    const run = await runApp([remove, '-i', site, '-e', `delete_volumes=${gradingVolume}`, '--yes']);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("it was made for a user's claim and holds their home directory");
    expect(backups(site)).toEqual([]);
    expect(cloudDeletions(site, 'volume')).toEqual([]);
  });

  it('stops on a mistyped ID with the closest one, before anything is written', async () => {
    const run = await runApp([remove, '-i', site, '-e', `delete_volumes=${hubDbVolume.slice(0, -1)}`, '--yes']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`did you mean '${hubDbVolume}'?`);
    expect(backups(site)).toEqual([]);
  });

  it('asks for a confirmation nobody can give without a terminal, and runs nothing', async () => {
    const run = await runApp([remove, '-i', site, '-e', `delete_volumes=${hubDbVolume}`]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`Cinder volume(s) ${hubDbVolume}`);
    expect(run.runner.calls).toEqual([]);
  });

  it('--check shows the delete and deletes nothing', async () => {
    const run = await runApp([remove, '-i', site, '-e', `delete_volumes=${hubDbVolume}`, '--check']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`would run: openstack --os-cloud sandbox volume delete ${hubDbVolume}`);
    expect(cloudDeletions(site, 'volume')).toEqual([]);
  });

  it('refuses while a restore is pending, when users\' volumes have no PV either', async () => {
    const restores = new PendingRestores(`${site}/.state`);
    restores.open({ namespace: 'jhub', runId: 'r1', playbook: playbook('rebuild-cluster.yml'), backupDir: `${site}/.state/backups/x`, since: '2026-12-01T00:00:00Z' });
    try {
      const run = await runApp([remove, '-i', site, '-e', `delete_volumes=${hubDbVolume}`, '--yes']);
      expect(run.code).toBe(4);
      expect(run.stderr).toContain('refused to delete Cinder volumes');
      expect(run.stderr).toContain('a restore of jhub is pending');
      expect(run.runner.calls).toEqual([]);
    } finally {
      restores.close('jhub');
    }
  });

  it('with --yes, backs up, then deletes only the named volume through the real client; a rerun has nothing to do', async () => {
    const run = await runApp([remove, '-i', site, '-e', `delete_volumes=${hubDbVolume}`, '--yes']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(backups(site)).toHaveLength(1);
    expect(cloudDeletions(site, 'volume')).toEqual([hubDbVolume]);
    // A snapshot of each of the three users' volumes, then the deletion.
    expect(run.stdout).toContain('this run: 0 Kubernetes API write request(s), 4 cloud write(s)');
    expect(cloudOperations(`${site}/.state`).slice(-4).map((operation) => `${operation.op} ${operation.kind}`)).toEqual([
      'create snapshot',
      'create snapshot',
      'create snapshot',
      'delete volume',
    ]);
    expect(boundUserClaims(site)).toBe(3);

    const again = await runApp([remove, '-i', site, '-e', `delete_volumes=${hubDbVolume}`, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`nothing to delete; 1 named volume(s) no longer exist (deleted already): ${hubDbVolume}`);
    expect(cloudDeletions(site, 'volume')).toEqual([hubDbVolume]);
  });
});
