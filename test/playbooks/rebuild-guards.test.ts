import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockSite } from '../../runner/app/site-lock.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { runWrites, siteObjects } from '../helpers/site-objects.js';

const rebuild = fileURLToPath(new URL('../../playbooks/rebuild-cluster.yml', import.meta.url));
const instances = (site: string) => siteObjects(site).filter((object) => object.kind === 'Node').length;

describe('rebuild-cluster guards on the simulated site', () => {
  it('will not destroy without --yes, nor without a verified backup; --backup names one', async () => {
    const site = await sandboxSiteCopy({});
    const unconfirmed = await runApp([rebuild, '-i', site]);
    expect(unconfirmed.code).toBe(4);
    expect(unconfirmed.stdout).toMatch(/refused to destroy \d+ terraform resource\(s\) in .* without confirmation: nobody can answer a prompt here, so rerun with --yes/);
    expect(runWrites(unconfirmed.stdout).cloud).toBe(0);
    expect(instances(site)).toBe(3);
    const [backup] = readdirSync(`${site}/.state/backups`);

    const noBackup = await runApp([rebuild, '-i', site, '--yes', '--tags', 'infrastructure']);
    expect(noBackup.code).toBe(4);
    expect(noBackup.stdout).toContain("no verified backup of the cluster's JupyterHub volumes from this run; run the playbook's backup step first, or name one with --backup <dir>");
    expect(runWrites(noBackup.stdout).cloud).toBe(0);

    const named = await runApp([rebuild, '-i', site, '--yes', '--tags', 'infrastructure', '--backup', `${site}/.state/backups/${backup}`, '--json']);
    expect(named.code, named.stdout).toBe(0);
    expect(runWrites(named.stdout.split('\n').map((line) => (line.includes('site:summary') ? JSON.parse(line).lines.join('\n') : '')).join('\n')).cloud).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a second run on a site that is in use, naming the holder', async () => {
    const site = await sandboxSiteCopy({});
    const release = await lockSite(`${site}/.state`, '/elsewhere/deploy-jhub.yml');
    const second = await runApp([rebuild, '-i', site, '--check']);
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/^refused: another run holds this site: pid \d+ on .*, \/elsewhere\/deploy-jhub\.yml, since /);
    await release();
  });
});
