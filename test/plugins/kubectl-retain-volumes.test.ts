import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { kubectlRetainVolumesPlugin } from '../../runner/plugins/kubectl-retain-volumes.js';
import { boundClaims } from '../helpers/bound-claims.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const playbook = `
name: retain
steps:
  - name: retain
    kubectl.retain_volumes: {namespace: jhub}
`;

describe.each(['v33', 'v30'] as const)('kubectl.retain_volumes with the real kubectl %s', (toolchain) => {
  it("sets Retain on this namespace's volumes only, in one kubectl call, then is ok", async () => {
    const sandbox = await kubeSandbox(toolchain);
    await boundClaims(sandbox, { jhub: ['claim-ada', 'claim-bob', 'claim-cy'], other: ['claim-eve'] });
    const { kubectl } = await kubeBinaries(toolchain);
    const vars = { kubectl_binary: kubectl, kubeconfig: sandbox.kubeconfig };
    const first = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(first.ends[0]).toMatchObject({ status: 'changed', reason: 'set Retain on 3 of the 3 volume(s) of jhub' });
    expect(first.runner.calls.filter((call) => call.argv.includes('replace'))).toHaveLength(1);
    const volumes = JSON.parse((await sandbox.kubectl(['get', 'pv', '-o', 'json'])).stdout).items;
    expect(
      volumes.map((pv: any) => [pv.spec.claimRef.namespace, pv.spec.persistentVolumeReclaimPolicy]).sort(),
    ).toEqual([
      ['jhub', 'Retain'],
      ['jhub', 'Retain'],
      ['jhub', 'Retain'],
      ['other', 'Delete'],
    ]);
    const second = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(second.ends[0]).toMatchObject({ status: 'ok', reason: 'all 3 volume(s) of jhub already Retain' });
    expect(second.runner.calls).toHaveLength(1);
  });
});

describe('kubectl.retain_volumes planning', () => {
  it("shows each volume's policy before and after, and says what it will patch in a dry run", () => {
    const volume = (name: string, policy: string) => ({
      metadata: { name },
      spec: { persistentVolumeReclaimPolicy: policy, claimRef: { namespace: 'jhub', name: `claim-${name}` } },
    });
    const plan = kubectlRetainVolumesPlugin.plan({ namespace: 'jhub' }, [volume('a', 'Delete'), volume('b', 'Retain')]);
    expect(plan.diffs![0]).toMatchObject({ before: 'a (claim-a): Delete\n', after: 'a (claim-a): Retain\n' });
    expect(plan.actions[0]).toMatchObject({ argv: ['kubectl', 'replace', '--filename', '-'] });
    const sent = JSON.parse((plan.actions[0] as { input: string }).input);
    expect(sent.items.map((item: any) => [item.metadata.name, item.spec.persistentVolumeReclaimPolicy])).toEqual([
      ['a', 'Retain'],
    ]);
    expect(kubectlRetainVolumesPlugin.plan({ namespace: 'jhub' }, undefined).reason).toBe(
      'set Retain on the volumes bound to claims in jhub (known at run time)',
    );
  });
});
