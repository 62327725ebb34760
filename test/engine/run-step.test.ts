import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';
import { jsonEvents, runApp } from '../helpers/run-app.js';

describe('kubectl steps take the connection from the inventory', () => {
  it("uses the inventory's kubeconfig, context and kubectl binary when the step names none", async () => {
    const sandbox = await kubeSandbox('v33', {
      'p.yml':
        'name: read\nsteps:\n  - name: namespaces\n    kubectl.get: {kind: namespace, name: default}\n    register: ns\n',
    });
    const { kubectl } = await kubeBinaries('v33');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      `${sandbox.dir}/site.yml`,
      `kubeconfig: ${sandbox.kubeconfig}\nkube_context: sandbox\nkubectl_binary: ${kubectl}\n`,
    );
    const run = await runApp([`${sandbox.dir}/p.yml`, '-i', `${sandbox.dir}/site.yml`, '--json']);
    expect(run.code).toBe(0);
    expect(run.runner.calls[0]!.argv).toEqual([
      kubectl,
      '--kubeconfig',
      sandbox.kubeconfig,
      '--context',
      'sandbox',
      'get',
      'namespace',
      'default',
      '--ignore-not-found',
      '--output',
      'json',
    ]);
    expect(jsonEvents(run.stdout).find((event) => event['type'] === 'step:end')).toMatchObject({
      status: 'ok',
      reason: 'read 1 object(s): namespace/default',
    });
  });
});
