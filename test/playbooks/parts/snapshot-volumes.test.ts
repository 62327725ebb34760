import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cloudOperations } from '../../../sandbox/cloud/cloud-ledger.js';
import { openstackTestsRun } from '../../helpers/openstack-client.js';
import { onSite } from '../../helpers/on-site.js';
import { runApp } from '../../helpers/run-app.js';
import { sandboxSiteCopy } from '../../helpers/sandbox-site-copy.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../../playbooks/${name}`, import.meta.url));

describe.runIf(openstackTestsRun)('snapshots before anything destructive, with the real openstack client', () => {
  it("snapshots every volume of the namespace before terraform destroys anything, and names them in the recap", async () => {
    const site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub', deleted_users: 1, other_namespaces: { grading: 1 } } });
    const run = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', 'run_id=snap1']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const ledger = cloudOperations(`${site}/.state`);
    const snapshots = ledger.filter((operation) => operation.op === 'create' && operation.kind === 'snapshot');
    // Three users and the deleted user's Released volume; not grading's.
    expect(snapshots.map((operation) => operation.name).sort()).toEqual(
      ['claim-gone01', 'claim-user01', 'claim-user02', 'claim-user03'].map((claim) => `run-snap1-jhub-${claim}`),
    );
    const report = JSON.parse(readFileSync(`${site}/.state/backups/rebuild-snap1/snapshots.json`, 'utf8'));
    expect(report.snapshots.map((each: { snapshot_id: string }) => each.snapshot_id).sort()).toEqual(
      snapshots.map((operation) => operation.id).sort(),
    );
    const firstDestroy = ledger.findIndex((operation) => operation.op === 'delete');
    expect(firstDestroy).toBeGreaterThan(ledger.indexOf(snapshots.at(-1)!));
    expect(run.stdout).toMatch(/cinder volumes: .*; 4 snapshot\(s\) \(playbooks\/volume-snapshots\.yml lists them\)/);
    expect(run.stdout).toContain(
      "Kept: 4 snapshot(s) of jhub's volumes (40 GiB), named run-snap1-jhub-<claim>; list them with: run playbooks/volume-snapshots.yml -e snapshot_run=snap1",
    );
  }, 180_000);

  it("refuses before the first snapshot when the project's quota cannot hold them all, and destroys nothing", async () => {
    const site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub' }, cloud: { quota: { snapshots: 2 } } });
    const run = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes']);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stdout).toMatch(/3 snapshot\(s\) of 30 GiB are needed before anything is destroyed, but the project has room for 2 more snapshot\(s\) \(quota 2\)/);
    expect(cloudOperations(`${site}/.state`).filter((operation) => operation.kind === 'snapshot' || operation.op === 'delete')).toEqual([]);
  }, 120_000);

  it('is turned off for a site by snapshot_volumes: false, and reinstall then makes none', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } }, { snapshot_volumes: false });
    const run = await runApp([playbook('reinstall-jhub.yml'), '-i', site, '--yes']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/skipped its condition is false \(when: snapshot_volumes\)/);
    expect(cloudOperations(`${site}/.state`).filter((operation) => operation.kind === 'snapshot')).toEqual([]);
  }, 120_000);

  it('is made again by a resumed rebuild when the snapshots were deleted since the run stopped: the journal is not trusted for them', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } });
    expect((await runApp([playbook('scale-cluster.yml'), '-i', site, '-e', 'terraform_vars.worker_count=3'])).code).toBe(0);
    // Refused at the destroy (the inventory says 2 workers): after the snapshots were made and checked.
    const refused = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes', '-e', 'run_id=gap']);
    expect(refused.code, refused.stdout).toBe(4);
    const made = cloudOperations(`${site}/.state`).filter((operation) => operation.kind === 'snapshot');
    expect(made.map((operation) => operation.name).sort()).toEqual(['run-gap-jhub-claim-user01', 'run-gap-jhub-claim-user02']);
    await onSite(site, async (_kubectl, openstack) => {
      for (const operation of made) expect((await openstack(['volume', 'snapshot', 'delete', operation.id])).exitCode).toBe(0);
    });
    const resumed = await runApp([
      playbook('rebuild-cluster.yml'), '-i', site, '--yes', '--resume', '--override', '-e', '{"allow_scale_down": true}',
    ]);
    expect(resumed.code, resumed.stdout).toBe(0);
    const ledger = cloudOperations(`${site}/.state`);
    const after = ledger.filter((operation) => operation.kind === 'snapshot');
    // Two made, two deleted by hand, two made again before the destroy.
    expect(after.map((operation) => operation.op)).toEqual(['create', 'create', 'delete', 'delete', 'create', 'create']);
    const destroyed = ledger.findIndex((operation) => operation.op === 'delete' && operation.kind !== 'snapshot');
    expect(destroyed).toBeGreaterThan(ledger.indexOf(after.at(-1)!));
  }, 240_000);
});
