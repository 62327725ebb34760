import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../runner/sandbox/kube-binaries.js';
import { kubectlVerifyVolumesPlugin } from '../../runner/plugins/kubectl-verify-volumes.js';
import { boundClaims } from '../helpers/bound-claims.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const playbook = `
name: verify
steps:
  - name: verify
    kubectl.verify_volumes: {namespace: jhub, claims_file: "{{ dir }}/pvc.yaml", volumes_file: "{{ dir }}/pv.yaml", timeout: 1, interval: 1}
`;
const list = (items: object[]) => stringify({ apiVersion: 'v1', kind: 'List', items });

describe('kubectl.verify_volumes with the real kubectl', () => {
  it('is ok when every claim is Bound to the volume named in the file, and fails naming a claim bound elsewhere', async () => {
    const sandbox = await kubeSandbox('v33');
    await boundClaims(sandbox, { jhub: ['claim-ada', 'claim-bob'] });
    const { kubectl } = await kubeBinaries('v33');
    const vars = { kubectl_binary: kubectl, kubeconfig: sandbox.kubeconfig };
    const claims = JSON.parse((await sandbox.kubectl(['get', 'pvc', '-n', 'jhub', '-o', 'json'])).stdout).items;
    const volumes = JSON.parse((await sandbox.kubectl(['get', 'pv', '-o', 'json'])).stdout).items;
    writeFileSync(`${sandbox.dir}/pvc.yaml`, list(claims));
    writeFileSync(`${sandbox.dir}/pv.yaml`, list(volumes));
    const ok = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(ok.ends[0]).toMatchObject({ status: 'ok', reason: 'all 2 claim(s) of jhub are Bound to their original volumes' });

    const swapped = claims.map((claim: any, index: number) => ({ ...claim, spec: { ...claim.spec, volumeName: claims[1 - index].spec.volumeName } }));
    writeFileSync(`${sandbox.dir}/pvc.yaml`, list(swapped));
    const wrong = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(wrong.ends[0]!.status).toBe('failed');
    expect(wrong.ends[0]!.reason).toContain('2 restored claim(s) did not get their original volume: claim-ada is bound to');

    const missing = [...claims, { ...claims[0], metadata: { ...claims[0].metadata, name: 'claim-cy' } }];
    writeFileSync(`${sandbox.dir}/pvc.yaml`, list(missing));
    const waited = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(waited.ends[0]!.status).toBe('failed');
    expect(waited.ends[0]!.reason).toMatch(/^timed out after 1s waiting for every claim .* not yet: 2 of 3 claim\(s\) Bound; waiting for claim-cy \(missing\)/);
  });
});

describe('kubectl.verify_volumes planning', () => {
  it('fails when a volume now points at another cloud volume', () => {
    const claim = { metadata: { name: 'claim-a' }, spec: { volumeName: 'pv-a' }, status: { phase: 'Bound' } };
    const pv = (handle: string) => ({ metadata: { name: 'pv-a' }, spec: { csi: { volumeHandle: handle } } });
    const facts = { expectedClaims: list([claim]), expectedVolumes: list([pv('cinder-1')]), claims: [claim], volumes: [pv('cinder-2')] };
    expect(() => kubectlVerifyVolumesPlugin.plan({ namespace: 'jhub', claims_file: 'c', volumes_file: 'v' }, facts)).toThrow("claim-a's volume pv-a no longer points at cloud volume cinder-1");
  });
});
