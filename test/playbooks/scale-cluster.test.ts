import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { runWrites, siteObjects } from '../helpers/site-objects.js';

const playbook = fileURLToPath(new URL('../../playbooks/scale-cluster.yml', import.meta.url));
const nodes = (site: string) => siteObjects(site).filter((object) => object.kind === 'Node').map((node) => node.metadata.name).sort();

describe('scale-cluster on the simulated site', () => {
  it('adds workers and joins them, is ok at the same size, and refuses to remove workers unless allowed', async () => {
    const site = await sandboxSiteCopy({});
    const grown = await runApp([playbook, '-i', site, '-e', 'terraform_vars.worker_count=4']);
    expect(grown.code, grown.stdout + grown.stderr).toBe(0);
    expect(grown.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    expect(nodes(site)).toEqual(['master', 'worker-0', 'worker-1', 'worker-2', 'worker-3']);

    const same = await runApp([playbook, '-i', site, '-e', 'terraform_vars.worker_count=4']);
    expect(same.stdout).toMatch(/Recap: ok=3 {2}changed=0 {2}skipped=1/);

    const shrink = await runApp([playbook, '-i', site]);
    expect(shrink.code).toBe(1);
    expect(shrink.stdout).toContain('the plan destroys 2 resource(s) (openstack_compute_instance_v2.worker[2], openstack_compute_instance_v2.worker[3]); terraform.apply only destroys with allow_destroy: true');
    expect(runWrites(shrink.stdout).cloud).toBe(0);
    expect(nodes(site)).toHaveLength(5);
  }, 120_000);
});
