import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { runWrites, siteObjects } from '../helpers/site-objects.js';
import { terraformEngines } from '../helpers/terraform-engines.js';

const playbook = fileURLToPath(new URL('../../playbooks/scale-cluster.yml', import.meta.url));
const nodes = (site: string) => siteObjects(site).filter((object) => object.kind === 'Node').map((node) => node.metadata.name).sort();

describe.each(terraformEngines)('scale-cluster on the simulated site, with the %s terraform', (engine) => {
  it('adds workers and joins them, is ok at the same size, and refuses to remove workers unless allowed', async () => {
    const site = await sandboxSiteCopy({ terraform: engine });
    const grown = await runApp([playbook, '-i', site, '-e', 'terraform_vars.worker_count=4']);
    expect(grown.code, grown.stdout + grown.stderr).toBe(0);
    expect(grown.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy; instances 3 → 5');
    expect(grown.stdout).toContain(engine === 'real' ? 'driven by terraform 1.' : 'driven by the stand-in terraform');
    expect(nodes(site)).toEqual(['k8s-master', 'k8s-node-1', 'k8s-node-2', 'k8s-node-3', 'k8s-node-4']);

    const same = await runApp([playbook, '-i', site, '-e', 'terraform_vars.worker_count=4']);
    expect(same.stdout).toMatch(/Recap: ok=3 {2}changed=0 {2}skipped=1/);

    const shrink = await runApp([playbook, '-i', site]);
    expect(shrink.code).toBe(4);
    expect(shrink.stdout).toContain(
      'the plan destroys 2 resource(s) (k8s-node-3 (module.compute.terraform_data.k8s_node[2]), k8s-node-4 (module.compute.terraform_data.k8s_node[3])); instances 5 → 3; terraform.apply only destroys with allow_destroy: true',
    );
    expect(runWrites(shrink.stdout).cloud).toBe(0);
    expect(nodes(site)).toHaveLength(5);
  }, 120_000);
});
