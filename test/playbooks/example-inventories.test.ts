import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const playbooks = readdirSync(`${root}/playbooks`).filter((name) => name.endsWith('.yml') && name !== 'prepare-pv-restore.yml');
const siteKeys = (site: string) => Object.keys(parse(readFileSync(`${root}/inventory/${site}/site.yml`, 'utf8')));

describe('inventory/example-jetstream', () => {
  it.each(playbooks)('gives %s every variable it reads: a dry run plans it whole and spawns nothing', async (name) => {
    const run = await runApp([
      `${root}/playbooks/${name}`,
      '-i',
      `${root}/inventory/example-jetstream`,
      '--dry-run',
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.runner.calls).toEqual([]);
    expect(run.stdout).toContain('Site jetstream (real site)');
  });

  it('takes config.yaml and secrets.yaml in the site folder, as it tells the operator to put them, as helm values and nothing else', async () => {
    const site = `${await tempDir()}/jetstream`;
    cpSync(`${root}/inventory/example-jetstream`, site, { recursive: true });
    // The seed's files: hub in both, and a Python template that no template engine here may read.
    writeFileSync(`${site}/config.yaml`, 'hub:\n  extraConfig:\n    banner: |\n      c.JupyterHub.template_vars = {"note": "{{ user.name }}"}\n');
    writeFileSync(`${site}/secrets.yaml`, `hub:\n  cookieSecret: ${'a'.repeat(64)}\nproxy:\n  secretToken: ${'b'.repeat(64)}\n`);
    const run = await runApp([`${root}/playbooks/deploy-jhub.yml`, '-i', site, '--dry-run']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`--values ${site}/config.yaml --values ${site}/secrets.yaml`);
  });

  it("leaves users' claims to the cluster's default storage class, which a current Jetstream cluster has", () => {
    const config = parse(readFileSync(`${root}/inventory/example-jetstream/config.yaml`, 'utf8'));
    expect(config.singleuser.storage.dynamic?.storageClass).toBeUndefined();
    expect(config.singleuser.storage.capacity).toBe('1Gi');
  });

  it('names the domain once, in https.domain: the HTTPS steps write the ingress values from it', () => {
    const config = parse(readFileSync(`${root}/inventory/example-jetstream/config.yaml`, 'utf8'));
    expect(config.ingress).toBeUndefined();
    const text = readFileSync(`${root}/inventory/example-jetstream/site.yml`, 'utf8');
    expect(text.match(/js-169-xx\.jetstream-cloud\.org/g)).toHaveLength(1);
  });

  it('documents every variable the sandbox site sets', () => {
    const documented = new Set(siteKeys('example-jetstream'));
    expect(siteKeys('sandbox').filter((key) => key !== 'sandbox' && !documented.has(key))).toEqual([]);
  });
});

/** Every file below `dir`, relative to it. */
function filesBelow(dir: string, prefix = ''): string[] {
  return readdirSync(`${dir}/${prefix}`, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesBelow(dir, `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]));
}

describe('what runs leave in the repository', () => {
  it('is all ignored by git: prepare-pv-restore on inventory/example, and the sandbox\'s state and terraform files', async () => {
    const copy = await tempDir();
    cpSync(`${root}/inventory/example`, copy, { recursive: true });
    const before = new Set(filesBelow(copy));
    expect((await runApp([`${root}/playbooks/prepare-pv-restore.yml`, '-i', copy, '--check'])).code).toBe(2);
    expect((await runApp([`${root}/playbooks/prepare-pv-restore.yml`, '-i', copy])).code).toBe(0);
    const left = filesBelow(copy).filter((file) => !before.has(file));
    expect(left.length).toBeGreaterThan(0);
    const sandboxFiles = ['.state/cluster.json', 'terraform/terraform.tfstate', 'terraform/terraform.tfstate.backup', 'terraform/.terraform.tfstate.lock.info', 'terraform/.terraform/terraform.tfstate'];
    const paths = [...left.map((file) => `inventory/example/${file}`), ...sandboxFiles.map((file) => `inventory/sandbox/${file}`)];
    const ignored = spawnSync('git', ['check-ignore', '--no-index', ...paths], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(paths.filter((path) => !ignored.includes(path))).toEqual([]);
  });
});
