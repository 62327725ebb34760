import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { runWrites, siteObjects } from '../helpers/site-objects.js';

const playbooks = fileURLToPath(new URL('../../playbooks', import.meta.url));
const every = readdirSync(playbooks).filter((name) => name.endsWith('.yml')).sort();

/** What a run could change on the site: its Kubernetes objects, terraform state, secrets and backups. */
function footprint(site: string): string {
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '(absent)');
  const key = (object: any) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  const objects = siteObjects(site).sort((a, b) => key(a).localeCompare(key(b)));
  const backups = existsSync(`${site}/.state/backups`) ? readdirSync(`${site}/.state/backups`).join(',') : '(none)';
  return [JSON.stringify(objects, null, 1), read(`${site}/terraform/terraform.tfstate`), read(`${site}/.state/secrets.yaml`), backups].join('\n---\n');
}

describe('--check and --dry-run of every playbook on a deployed simulated site', () => {
  it('send no write to the Kubernetes API or the cloud, and change no file; a dry run spawns nothing', async () => {
    expect(every).toEqual(['deploy-jhub.yml', 'enable-https.yml', 'prepare-pv-restore.yml', 'rebuild-cluster.yml', 'reinstall-jhub.yml', 'remove-orphaned-volumes.yml', 'rollback-jhub.yml', 'scale-cluster.yml', 'upgrade-cluster.yml', 'upgrade-jhub.yml', 'volume-snapshots.yml']);
    const site = await sandboxSiteCopy({});
    expect((await runApp([`${playbooks}/deploy-jhub.yml`, '-i', site])).code).toBe(0);
    // prepare-pv-restore works on a backup folder that exists; the others find it, check it against the cluster and keep it.
    const backup = `${site}/.state/backups/preview`;
    mkdirSync(backup, { recursive: true });
    const claims = siteObjects(site).filter((object) => object.kind === 'PersistentVolumeClaim' && object.metadata.namespace === 'jhub');
    const volumes = siteObjects(site).filter((object) => object.kind === 'PersistentVolume' && object.spec.claimRef?.namespace === 'jhub');
    writeFileSync(`${backup}/pvc.json`, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: claims }, null, 2));
    writeFileSync(`${backup}/pv.json`, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: volumes }, null, 2));
    const extra = ['-e', 'terraform_vars.worker_count=3', '-e', `backup_dir=${backup}`, '-e', 'kube_version=v1.34.2'];
    // volume-snapshots.yml lists, restores a user from a snapshot, or deletes a run's: each is previewed.
    // A run with no snapshot to restore from is refused by --check as the real run would be (exit 4).
    const runs: [string, string[], number[]][] = every.map((name) => [name, extra, [0, 2]]);
    runs.push(
      ['volume-snapshots.yml', [...extra, '-e', 'snapshot_run=preview', '-e', 'restore_claim=claim-user03'], [4]],
      ['volume-snapshots.yml', [...extra, '-e', 'delete_snapshots_of=preview'], [0, 2]],
    );
    for (const [name, extra, codes] of runs) {
      const before = footprint(site);
      const checked = await runApp([`${playbooks}/${name}`, '-i', site, '--check', ...extra]);
      expect(codes, `${name} --check: ${checked.stdout}${checked.stderr}`).toContain(checked.code);
      expect(runWrites(checked.stdout), `${name} --check`).toEqual({ api: 0, cloud: 0 });
      expect(footprint(site), `${name} --check`).toBe(before);
      const dry = await runApp([`${playbooks}/${name}`, '-i', site, '--dry-run', ...extra]);
      expect(dry.code, `${name} --dry-run: ${dry.stderr}`).toBe(0);
      expect(dry.runner.calls, `${name} --dry-run`).toEqual([]);
      expect(footprint(site), `${name} --dry-run`).toBe(before);
    }
  }, 240_000);
});
