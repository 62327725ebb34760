import { cpSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { openstackTestsRun } from '../helpers/openstack-client.js';
import { tempDir } from '../helpers/temp-dir.js';
import { siteObjects } from '../helpers/site-objects.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));

/** Every playbook in the order an operator meets them, on one site: what must pass with both kubectl/helm generations. */
describe.each(['v33', 'v30'] as const)('every playbook on the simulated site with toolchain %s', (toolchain) => {
  it('deploys, reruns with nothing to do, enables HTTPS, scales, reinstalls, rebuilds, prepares a restore and lists orphaned volumes', async () => {
    const site = await sandboxSiteCopy({ toolchain, seed: { users: 3, servers: 1, namespace: 'jhub', deleted_users: 1 } }, { https: { mode: 'letsencrypt', domain: 'hub.example.edu', email: 'admin@example.edu' } });
    const run = async (name: string, ...args: string[]) => {
      const result = await runApp([playbook(name), '-i', site, '--yes', ...args]);
      expect(result.code, `${name}: ${result.stdout}${result.stderr}`).toBe(0);
      expect(result.stderr, name).not.toMatch(/\n\s+at /);
      return result;
    };
    await run('deploy-jhub.yml');
    expect((await run('deploy-jhub.yml')).stdout).toMatch(/Recap: ok=\d+ {2}changed=0 /);
    await run('enable-https.yml');
    await run('scale-cluster.yml', '-e', 'terraform_vars.worker_count=3');
    await run('reinstall-jhub.yml');
    const rebuilt = await run('rebuild-cluster.yml', '-e', 'terraform_vars.worker_count=3');
    expect(rebuilt.stdout).toContain('user claims: all 3 on the Cinder volumes they had when the run started');
    const backups = `${site}/.state/backups`;
    const backup = `${await tempDir()}/backup`;
    cpSync(`${backups}/${readdirSync(backups).sort().at(-1)}`, backup, { recursive: true });
    await run('prepare-pv-restore.yml', '-e', `backup_dir=${backup}`);
    if (openstackTestsRun) await run('remove-orphaned-volumes.yml');
    const ready = siteObjects(site).filter((object) => object.kind === 'Deployment' && object.metadata.namespace === 'jhub').map((deployment) => `${deployment.metadata.name} ${deployment.status?.readyReplicas}`);
    expect(ready.sort()).toEqual(expect.arrayContaining(['hub 1', 'proxy 1']));
  }, 300_000);
});
