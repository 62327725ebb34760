import { describe, expect, it } from 'vitest';
import { snapshotSources, withoutSensitive } from '../../../runner/app/snapshot/snapshot-sources.js';

describe('snapshot sources', () => {
  it('drop what terraform marks sensitive, in every module, attributes and outputs alike', () => {
    const shown = {
      format_version: '1.0',
      values: {
        outputs: {
          floating_ip: { value: '149.165.1.2', sensitive: false },
          admin_password: { value: 'canary', sensitive: true },
        },
        root_module: {
          resources: [
            {
              address: 'a.b',
              values: { id: 'x', password: 'canary', nested: { key: 'canary', keep: 1 } },
              sensitive_values: { password: true, nested: { key: true } },
            },
          ],
          child_modules: [
            {
              address: 'module.m',
              resources: [{ address: 'module.m.c', values: { input: 'canary' }, sensitive_values: { input: true } }],
            },
          ],
        },
      },
    };
    const kept = JSON.stringify(withoutSensitive(JSON.stringify(shown)));
    expect(kept).not.toContain('canary');
    expect(kept).toContain('149.165.1.2');
    expect(kept).toContain('"keep":1');
    expect(kept).not.toContain('sensitive_values');
  });

  it("read through the site's own tools and connection, with read-only commands only", () => {
    const sources = snapshotSources(
      {
        kubeconfig: '/k/admin.conf',
        kube_context: 'c',
        helm_binary: '/h/helm',
        openstack_cloud: 'site',
        terraform_dir: '/t',
        namespace: 'ns',
        release: 'hub',
      },
      new Date(),
    );
    const writing =
      /\b(apply|create|delete|patch|set|install|upgrade|uninstall|rollback|destroy|import|taint|unlock|edit|annotate|label|scale)\b/;
    for (const source of sources) expect(source.argv.join(' '), source.file).not.toMatch(writing);
    expect(sources.find((source) => source.file === 'kubernetes/pvc.json')!.argv).toEqual([
      'kubectl',
      '--kubeconfig',
      '/k/admin.conf',
      '--context',
      'c',
      'get',
      'persistentvolumeclaims',
      '--namespace',
      'ns',
      '--output',
      'json',
    ]);
    expect(sources.find((source) => source.file === 'helm/values.json')!.argv.slice(0, 1)).toEqual(['/h/helm']);
    expect(sources.find((source) => source.file === 'terraform/state.json')!.argv).toEqual([
      'terraform',
      '-chdir=/t',
      'show',
      '-json',
    ]);
    expect(sources.find((source) => source.file === 'openstack/volumes.json')!.argv.slice(0, 3)).toEqual([
      'openstack',
      '--os-cloud',
      'site',
    ]);
  });
});
