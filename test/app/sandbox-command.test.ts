import { describe, expect, it } from 'vitest';
import { lockSite } from '../../runner/app/site-lock.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';

describe('run sandbox: one command against the simulated site between runs', () => {
  it("runs kubectl and the openstack client with the site's kubeconfig and cloud, and passes their exit code on", async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } });
    const claims = await runApp(['sandbox', '-i', site, '--', 'kubectl', 'get', 'pvc', '-n', 'jhub', '-o', 'name']);
    expect(claims.code, claims.stderr).toBe(0);
    expect(claims.stdout).toBe('persistentvolumeclaim/claim-user01\npersistentvolumeclaim/claim-user02\n');
    const unknown = await runApp(['sandbox', '-i', site, '--', 'kubectl', 'get', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('the server doesn\'t have a resource type "nope"');
  }, 60_000);

  it('refuses while a run holds the site, and refuses a real site without starting anything', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 1, namespace: 'jhub' } });
    const unlock = await lockSite(`${site}/.state`, 'playbooks/rebuild-cluster.yml');
    try {
      const held = await runApp(['sandbox', '-i', site, '--', 'kubectl', 'get', 'pods']);
      expect(held.code).toBe(4);
      expect(held.stderr).toContain('playbooks/rebuild-cluster.yml');
      expect(held.runner.calls).toEqual([]);
    } finally {
      unlock();
    }
    const real = await runApp(['sandbox', '-i', 'inventory/example-jetstream', '--', 'kubectl', 'get', 'pods']);
    expect(real.code).toBe(3);
    expect(real.stderr).toContain('is a real site');
    expect(real.runner.calls).toEqual([]);
  }, 60_000);
});
