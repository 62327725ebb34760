import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SiteJournal } from '../../sandbox/site/site-journal.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { cloudDeletions, floatingIpOf } from '../helpers/cloud-records.js';
import { terraformEngines } from '../helpers/terraform-engines.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));

/** Each user claim and the Cinder volume behind it, read from the site's journal. */
function userVolumes(site: string): Map<string, string> {
  const saved = new SiteJournal(`${site}/.state/cluster.jsonl`).load();
  const objects = [...saved.objects.values()].map((entry) => entry.object);
  const pvs = new Map(objects.filter((object) => object.kind === 'PersistentVolume').map((pv) => [pv.metadata.name, pv.spec.csi?.volumeHandle ?? pv.spec.cinder?.volumeID]));
  return new Map(objects.filter((object) => object.kind === 'PersistentVolumeClaim' && object.status?.phase === 'Bound').map((pvc) => [pvc.metadata.name, pvs.get(pvc.spec.volumeName)!]));
}

// Each toolchain with one of the terraforms: the real one where it is installed, and the stand-in.
const combinations = [['v33', terraformEngines[0]!], ['v30', terraformEngines.at(-1)!]] as const;

describe.each(combinations)('deploy-jhub and rebuild-cluster on the simulated site (toolchain %s, %s terraform)', (toolchain, terraform) => {
  it('deploys once (a rerun changes nothing), then rebuilds with every user getting their volume back', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 25, servers: 4, namespace: 'jhub' }, toolchain, terraform });
    const first = await runApp([playbook('deploy-jhub.yml'), '-i', site]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout.split('\n')[0]).toContain('sandbox (simulated site)');
    const second = await runApp([playbook('deploy-jhub.yml'), '-i', site]);
    expect(second.stdout).toMatch(/Recap: ok=5 {2}changed=0/);

    const before = userVolumes(site);
    const users = [...before.keys()].filter((name) => name.startsWith('claim-'));
    expect(users).toHaveLength(25);
    const ipBefore = floatingIpOf(site);
    expect(ipBefore?.address).toMatch(/^149\.165\./);

    const rebuilt = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes']);
    expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
    const after = userVolumes(site);
    for (const user of users) expect(after.get(user), user).toBe(before.get(user));
    expect(after.get('hub-db-dir')).toBeDefined();
    expect(after.get('hub-db-dir')).not.toBe(before.get('hub-db-dir'));
    // The address and the cloud's floating IP itself stay: terraform never deleted it.
    expect(floatingIpOf(site)).toEqual(ipBefore);
    expect(cloudDeletions(site, 'floatingip')).toEqual([]);
    expect(cloudDeletions(site, 'instance')).toHaveLength(3);
    expect(rebuilt.stdout).toContain('claims in jhub: 26 (26 Bound; 25 user claim(s))');
    // What a person checks after a rebuild, in the site summary.
    expect(rebuilt.stdout).toContain(`floating IP ${ipBefore!.address} (unchanged)`);
    expect(rebuilt.stdout).toContain('user claims: all 25 on the Cinder volumes they had when the run started');
    // The running servers went with the old cluster; their users start them again on the volumes they had.
    expect(first.stdout).toContain('user servers: 4 (4 Running)');
    expect(rebuilt.stdout).not.toContain('user servers:');
    expect(rebuilt.stdout).toContain('all 25 claim(s) of jhub are Bound to their original volumes');

    const [folder, ...others] = readdirSync(`${site}/.state/backups`);
    expect(others).toEqual([]);
    expect(readdirSync(`${site}/.state/backups/${folder}`).sort()).toEqual(['pv-restore.json', 'pv.json', 'pvc-restore.json', 'pvc.json', 'restore-report.json', 'snapshots.json']);
    const backedUp = JSON.parse(readFileSync(`${site}/.state/backups/${folder}/pv.json`, 'utf8')).items;
    expect(backedUp.map((pv: any) => pv.spec.persistentVolumeReclaimPolicy)).toEqual(Array(26).fill('Delete'));
    expect(new Set(backedUp.map((pv: any) => pv.spec.csi?.volumeHandle ?? pv.spec.cinder.volumeID))).toEqual(new Set(before.values()));
  }, 240_000);
});

describe('rebuild-cluster without keeping the floating IP', () => {
  it('destroys everything, the cloud hands out a new floating IP, and every user still gets their volume back', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 6, namespace: 'jhub' } }, { keep_floating_ip: false });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const before = userVolumes(site);
    const ipBefore = floatingIpOf(site)!;

    const rebuilt = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes']);
    expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(/Destroy the whole infrastructure \(terraform\.destroy\)\n\s+(run: .*\n\s+)*changed/);
    expect(rebuilt.stdout).toMatch(/Destroy the infrastructure, keeping the floating IP \(terraform\.destroy\)\n\s+skipped/);
    expect(floatingIpOf(site)?.id).toBeDefined();
    expect(floatingIpOf(site)?.id).not.toBe(ipBefore.id);
    expect(cloudDeletions(site, 'floatingip')).toEqual([ipBefore.id]);
    const after = userVolumes(site);
    for (const [claim, volume] of before) if (claim.startsWith('claim-')) expect(after.get(claim), claim).toBe(volume);
    expect(rebuilt.stdout).toContain('all 6 claim(s) of jhub are Bound to their original volumes');
    expect(rebuilt.stdout).toContain(`floating IP ${floatingIpOf(site)!.address} (changed from ${ipBefore.address})`);
    expect(rebuilt.stdout).toContain('user claims: all 6 on the Cinder volumes they had when the run started');
  }, 120_000);
});
