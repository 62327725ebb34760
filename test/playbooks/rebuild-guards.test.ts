import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockSite } from '../../runner/app/site-lock.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { runWrites, siteObjects } from '../helpers/site-objects.js';
import { realTerraform } from '../helpers/terraform-engines.js';
import { execa } from 'execa';
import { holdAt } from '../helpers/hold-point.js';
import { cloudOperations } from '../../sandbox/cloud/cloud-ledger.js';
import { cloudDeletions, floatingIpOf } from '../helpers/cloud-records.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const rebuild = playbook('rebuild-cluster.yml');
const instances = (site: string) => siteObjects(site).filter((object) => object.kind === 'Node').length;
const journal = (site: string) => readFileSync(`${site}/.state/cluster.jsonl`, 'utf8');
const cloud = (site: string) => readFileSync(`${site}/terraform/terraform.tfstate`, 'utf8');

describe('rebuild-cluster guards on the simulated site', () => {
  it('refuses a run that would destroy without --yes where nobody can confirm, before anything: no API write, no backup folder', async () => {
    const site = await sandboxSiteCopy({});
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const [objects, state] = [journal(site), cloud(site)];
    const unconfirmed = await runApp([rebuild, '-i', site]);
    expect(unconfirmed.code).toBe(4);
    expect(unconfirmed.stderr).toBe(
      "refused: this run may destroy what users' data depends on, on site sandbox (simulated, on this machine), and nobody can confirm it here (no terminal); check it with --check, then rerun with --yes:\n" +
        `  [8/31] Destroy the infrastructure, keeping the floating IP: the infrastructure in ${site}/terraform, all but module.ips.terraform_data.k8s_master_fip, module.network.terraform_data.router, every floating IP in its state\n` +
        'nothing was run\n',
    );
    expect(unconfirmed.runner.calls).toEqual([]);
    expect(journal(site)).toBe(objects);
    expect(cloud(site)).toBe(state);
    expect(existsSync(`${site}/.state/backups`)).toBe(false);
    expect(existsSync(`${site}/.state/restores`)).toBe(false);

    // --check says so up front, too.
    const checked = await runApp([rebuild, '-i', site, '--check']);
    expect(checked.stdout).toContain('An apply asks to confirm these before anything runs (or takes --yes):\n  [8/31] Destroy the infrastructure, keeping the floating IP: the infrastructure in');
  }, 120_000);

  it('will not destroy without a verified backup, even with --yes; --backup names one', async () => {
    const site = await sandboxSiteCopy({});
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const taken = await runApp([rebuild, '-i', site, '--yes', '--tags', 'backup']);
    expect(taken.code).toBe(0);
    const [backup] = readdirSync(`${site}/.state/backups`);

    const noBackup = await runApp([rebuild, '-i', site, '--yes', '--tags', 'infrastructure']);
    expect(noBackup.code).toBe(4);
    expect(noBackup.stdout).toContain("no verified backup of the cluster's JupyterHub volumes from this run; run the playbook's backup step first, or name one with --backup <dir>");
    expect(runWrites(noBackup.stdout).cloud).toBe(0);
    expect(instances(site)).toBe(3);

    const named = await runApp([rebuild, '-i', site, '--yes', '--tags', 'infrastructure', '--backup', `${site}/.state/backups/${backup}`, '--json']);
    expect(named.code, named.stdout).toBe(0);
    expect(runWrites(named.stdout.split('\n').map((line) => (line.includes('site:summary') ? JSON.parse(line).lines.join('\n') : '')).join('\n')).cloud).toBeGreaterThan(0);
  }, 120_000);

  it('refuses to rebuild smaller than the site is: scaled up by hand with -e, a rebuild with the inventory\'s count stops before destroying', async () => {
    const site = await sandboxSiteCopy({});
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    expect((await runApp([playbook('scale-cluster.yml'), '-i', site, '-e', 'terraform_vars.worker_count=3'])).code).toBe(0);
    expect(instances(site)).toBe(4);
    const state = cloud(site);
    // --check shows the refusal the real run would give, behind the backup and Retain it would take first.
    const checked = await runApp([rebuild, '-i', site, '--check']);
    expect(checked.code, checked.stdout).toBe(4);
    expect(checked.stdout).toContain('the infrastructure would come back with 1 instance(s) fewer than the site has now');
    expect(checked.stdout).toMatch(/\[2\/31\] Back up this namespace's claims[^\n]*\n +would run: write /);
    const shrinking = await runApp([rebuild, '-i', site, '--yes']);
    expect(shrinking.code).toBe(4);
    expect(shrinking.stdout).toContain('the infrastructure would come back with 1 instance(s) fewer than the site has now (k8s-node-3 (module.compute.terraform_data.k8s_node[2])) with worker_count=2; a rebuild recreates at least what it destroys');
    expect(cloud(site)).toBe(state);
    expect(instances(site)).toBe(4);

    // Asked for on purpose, it goes ahead.
    const allowed = await runApp([rebuild, '-i', site, '--yes', '--resume', '--override', '-e', '{"allow_scale_down": true}']);
    expect(allowed.code, allowed.stdout).toBe(0);
    expect(instances(site)).toBe(3);
  }, 180_000);

  it('keeps the floating IP when -e empties floating_ip_addresses: the IPs come from terraform\'s state, and the plan that would take one is refused', async () => {
    const site = await sandboxSiteCopy({});
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const address = floatingIpOf(site);
    const emptied = await runApp([rebuild, '-i', site, '--yes', '-e', '{"floating_ip_addresses": []}']);
    expect(emptied.code, emptied.stdout).toBe(4);
    expect(emptied.stdout).toContain('the destroy would also take kept module.ips.terraform_data.k8s_master_fip');
    expect(floatingIpOf(site)).toEqual(address);
    expect(cloudDeletions(site, 'floatingip')).toEqual([]);
    expect(instances(site)).toBe(3);
  }, 180_000);

  it('trusts no backup the cluster and the disk do not bear out at the moment of the destruction: forged, deleted after its step', async () => {
    const site = await sandboxSiteCopy({});
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const claims = () => siteObjects(site).filter((object) => object.kind === 'PersistentVolumeClaim').length;
    const before = claims();
    // A folder anyone could write: one claim nobody has, no volumes.
    const forged = `${site}/forged`;
    mkdirSync(forged);
    writeFileSync(`${forged}/pvc.json`, JSON.stringify({ items: [{ metadata: { name: 'nobody', namespace: 'jhub' }, status: { phase: 'Pending' } }] }));
    writeFileSync(`${forged}/pv.json`, JSON.stringify({ items: [] }));
    writeFileSync(`${site}/delete-namespace.yml`, 'name: remove\nsteps:\n  - name: Delete the namespace\n    kubectl.delete: {kind: namespace, name: jhub}\n');
    const deleting = await runApp([`${site}/delete-namespace.yml`, '-i', site, '--yes', '--backup', forged]);
    expect(deleting.code, deleting.stdout).toBe(4);
    expect(deleting.stdout).toContain(`the backup in ${forged} does not match what it protects now: it does not hold`);
    expect(claims()).toBe(before);

    // A backup taken by its step, then deleted before the destroy of a resumed run.
    const taken = await runApp([rebuild, '-i', site, '--yes', '--tags', 'backup']);
    expect(taken.code, taken.stdout).toBe(0);
    rmSync(`${site}/.state/backups`, { recursive: true });
    const state = cloud(site);
    const resumed = await runApp([rebuild, '-i', site, '--yes', '--resume']);
    expect(resumed.code, resumed.stdout).toBe(4);
    // The resumed run checks the cloud against the backup again before anything else: the folder is gone, so nothing is destroyed.
    expect(resumed.stdout).toMatch(/pv-restore\.json does not exist: the backup folder this run took is gone or was moved\. Nothing was destroyed/);
    expect(cloud(site)).toBe(state);
    // Without those checks, the destruction guard itself refuses: what the backup protected cannot be shown.
    const unchecked = await runApp([rebuild, '-i', site, '--yes', '--resume', '--override', '-e', '{"check_cloud_volumes": false, "snapshot_volumes": false}']);
    expect(unchecked.code, unchecked.stdout).toBe(4);
    expect(unchecked.stdout).toMatch(/does not match what it protects now: \S+pvc\.json is gone/);
    expect(instances(site)).toBe(3);
  }, 180_000);

  it("treats a patch that lets a deleted user's Released volume go as a destruction: no yes, no backup, no patch", async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub', deleted_users: 1 } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const released = siteObjects(site).find((object) => object.kind === 'PersistentVolume' && object.status?.phase === 'Released');
    expect(released?.spec.persistentVolumeReclaimPolicy).toBe('Retain');
    writeFileSync(
      `${site}/patch.yml`,
      `name: patch\nsteps:\n  - name: Let it go\n    kubectl.patch: {kind: pv, name: ${released.metadata.name}, patch: {spec: {persistentVolumeReclaimPolicy: Delete}}}\n`,
    );
    const unconfirmed = await runApp([`${site}/patch.yml`, '-i', site]);
    expect(unconfirmed.code).toBe(4);
    expect(unconfirmed.stderr).toContain(`PersistentVolume/${released.metadata.name}: the patch may let it, and its cloud volume, be deleted`);
    const unbacked = await runApp([`${site}/patch.yml`, '-i', site, '--yes']);
    expect(unbacked.code).toBe(4);
    expect(unbacked.stdout).toContain(`refused to destroy PersistentVolume/${released.metadata.name}: reclaim policy Delete on a Released volume deletes its cloud volume at once: no verified backup`);
    const after = siteObjects(site).find((object) => object.metadata?.name === released.metadata.name);
    expect(after?.spec.persistentVolumeReclaimPolicy).toBe('Retain');
  }, 120_000);

  it('refuses a second run on a site that is in use, naming the holder', async () => {
    const site = await sandboxSiteCopy({});
    const release = await lockSite(`${site}/.state`, '/elsewhere/deploy-jhub.yml');
    const second = await runApp([rebuild, '-i', site, '--check']);
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/^refused: another run holds this site: pid \d+ on .*, \/elsewhere\/deploy-jhub\.yml, since /);
    release();
  });
});

describe('a terraform state lock', () => {
  it('left by a killed apply beside a remote backend (the stand-in keeps one): the run stops naming the lock ID and the command that releases it, and never releases it', async () => {
    const site = await sandboxSiteCopy({ terraform: 'stand-in' });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${site}/terraform/.terraform.tfstate.lock.info`, JSON.stringify({ ID: '5e9c2d7a-1b3f-4c8d-a6e5-0f1e2d3c4b5a', Operation: 'OperationTypeApply', Info: '', Who: 'ops@admin', Version: '1.11.4', Created: '2026-12-01T10:00:00Z', Path: 'terraform.tfstate' }));
    const state = cloud(site);
    const locked = await runApp([playbook('scale-cluster.yml'), '-i', site, '-e', 'terraform_vars.worker_count=3']);
    expect(locked.code).toBe(1);
    expect(locked.stdout.replace(/\s+/g, ' ')).toContain(
      `the terraform state is locked (lock ID 5e9c2d7a-1b3f-4c8d-a6e5-0f1e2d3c4b5a, OperationTypeApply by ops@admin since 2026-12-01T10:00:00Z): another terraform is working on this state, or one that was stopped before it finished left the lock behind (a remote backend keeps it). Wait for a running one to finish; if none runs, release the lock with: terraform -chdir=${site}/terraform force-unlock 5e9c2d7a-1b3f-4c8d-a6e5-0f1e2d3c4b5a`,
    );
    expect(existsSync(`${site}/terraform/.terraform.tfstate.lock.info`)).toBe(true);
    expect(cloud(site)).toBe(state);
  }, 120_000);

  it.runIf(realTerraform.kind === 'real')('held by a real terraform that is still applying: the run stops naming its lock ID, and that apply finishes unharmed', async () => {
    const site = await sandboxSiteCopy({ terraform: 'real' });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    // Someone else's apply holds terraform's own lock on the state while the cloud holds its first create until this test releases it.
    const held = holdAt('cloud-create', cloudOperations(`${site}/.state`).filter((call) => call.op === 'create').length);
    const env = { ...process.env, ...held.env, PATH: `${site}/.state/bin:${process.env['PATH']}`, JHUB_SANDBOX_STATE_DIR: `${site}/.state`, TF_VAR_worker_count: '3', TF_CLI_CONFIG_FILE: '/dev/null' };
    const other = execa('terraform', [`-chdir=${site}/terraform`, 'apply', '-auto-approve', '-input=false', '-no-color'], { env, reject: false });
    let ended: string | undefined;
    void other.then((result) => (ended = `the other apply ended with exit ${result.exitCode}: ${String(result.stderr)}`));
    await held.arrival(() => ended);
    expect(existsSync(`${site}/terraform/.terraform.tfstate.lock.info`), 'terraform holds its lock while it applies').toBe(true);
    const locked = await runApp([playbook('scale-cluster.yml'), '-i', site, '-e', 'terraform_vars.worker_count=4']);
    expect(locked.code).toBe(1);
    expect(locked.stdout.replace(/\s+/g, ' ')).toMatch(/the terraform state is locked \(lock ID [0-9a-f-]{36}, OperationTypeApply by \S+ since [^)]+\): another terraform is working on this state/);
    expect(locked.stdout.replace(/\s+/g, ' ')).toMatch(new RegExp(`release the lock with: terraform -chdir=${site}/terraform force-unlock [0-9a-f-]{36}, and run again`));
    held.release();
    expect((await other).exitCode).toBe(0);
    expect(instances(site)).toBe(3);
  }, 120_000);
});
