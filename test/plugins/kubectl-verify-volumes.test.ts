import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
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
  it('is ok when every claim is Bound to its volume and each volume records that claim; fails naming both sides of a swap; waits for a missing claim', async () => {
    const sandbox = await kubeSandbox('v33');
    await boundClaims(sandbox, { jhub: ['claim-ada', 'claim-bob'] });
    const { kubectl } = await kubeBinaries('v33');
    const vars = { kubectl_binary: kubectl, kubeconfig: sandbox.kubeconfig };
    const claims = JSON.parse((await sandbox.kubectl(['get', 'pvc', '-n', 'jhub', '-o', 'json'])).stdout).items;
    const volumes = JSON.parse((await sandbox.kubectl(['get', 'pv', '-o', 'json'])).stdout).items;
    writeFileSync(`${sandbox.dir}/pvc.yaml`, list(claims));
    writeFileSync(`${sandbox.dir}/pv.yaml`, list(volumes));
    const ok = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(ok.ends[0]).toMatchObject({
      status: 'ok',
      reason:
        'all 2 claim(s) of jhub are Bound to their original volumes, and each of the 2 volume(s) is held by its own claim and no other',
    });

    const swapped = claims.map((claim: any, index: number) => ({
      ...claim,
      spec: { ...claim.spec, volumeName: claims[1 - index].spec.volumeName },
    }));
    const swappedVolumes = volumes.map((volume: any, index: number) => ({
      ...volume,
      spec: { ...volume.spec, claimRef: volumes[1 - index].spec.claimRef },
    }));
    writeFileSync(`${sandbox.dir}/pvc.yaml`, list(swapped));
    writeFileSync(`${sandbox.dir}/pv.yaml`, list(swappedVolumes));
    const wrong = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(wrong.ends[0]!.status).toBe('failed');
    expect(wrong.ends[0]!.reason).toMatch(
      /restored claim\(s\) or volume\(s\) are not with their owner: volume pvc-\S+ \(cloud volume \S+\), restored for jhub\/claim-\w+, is held by jhub\/claim-\w+/,
    );
    expect(wrong.ends[0]!.reason).toMatch(
      /claim claim-ada holds volume pvc-\S+ \(cloud volume \S+\), not pvc-\S+ \(cloud volume \S+\)/,
    );

    const missing = [
      ...claims,
      {
        ...claims[0],
        metadata: { ...claims[0].metadata, name: 'claim-cy' },
        spec: { ...claims[0].spec, volumeName: 'pvc-cy' },
      },
    ];
    writeFileSync(`${sandbox.dir}/pvc.yaml`, list(missing));
    writeFileSync(`${sandbox.dir}/pv.yaml`, list(volumes));
    const waited = await runEngine(playbook, { dir: sandbox.dir, vars });
    expect(waited.ends[0]!.status).toBe('failed');
    expect(waited.ends[0]!.reason).toMatch(
      /^timed out after 1s waiting for every claim .* not yet: 2 of 3 claim\(s\) Bound; waiting for claim-cy \(missing\)/,
    );
  });
});

describe('kubectl.verify_volumes planning', () => {
  const args = { namespace: 'jhub', claims_file: 'c', volumes_file: 'v' };
  const claim = (name: string, volumeName: string | undefined, uid: string, phase = 'Bound') => ({
    metadata: { name, namespace: 'jhub', uid },
    spec: { ...(volumeName ? { volumeName } : {}) },
    status: { phase },
  });
  const pv = (name: string, handle: string, ref?: { name: string; uid?: string }) => ({
    metadata: { name },
    spec: { csi: { volumeHandle: handle }, ...(ref ? { claimRef: { namespace: 'jhub', ...ref } } : {}) },
  });
  /** What the restore files hold: claims name their volumes, volumes their claims, without uids. */
  const restored = {
    expectedClaims: list([claim('claim-a', 'pv-a', '')]),
    expectedVolumes: list([
      pv('pv-a', 'cinder-1', { name: 'claim-a' }),
      pv('pv-gone', 'cinder-9', { name: 'claim-gone' }),
    ]),
  };

  it("is ok, with each claim's uid, volume and cloud volume, when both sides agree; a deleted user's volume may stay reserved", () => {
    const plan = kubectlVerifyVolumesPlugin.plan(args, {
      ...restored,
      claims: [claim('claim-a', 'pv-a', 'u1')],
      volumes: [
        pv('pv-a', 'cinder-1', { name: 'claim-a', uid: 'u1' }),
        pv('pv-gone', 'cinder-9', { name: 'claim-gone' }),
      ],
    });
    expect(plan.change).toBe('none');
    expect(plan.reason).toBe(
      'all 1 claim(s) of jhub are Bound to their original volumes, and each of the 2 volume(s) is held by its own claim and no other (1 kept for claims not made yet)',
    );
    expect(plan.data).toEqual({
      claims: [{ claim: 'claim-a', uid: 'u1', volume: 'pv-a', cloud_volume: 'cinder-1' }],
      verified: true,
    });
    expect(plan.restore).toEqual({ namespace: 'jhub', state: 'verified' });
  });

  it('names the cloud volumes of the old cluster that no PV uses now, and how to remove them', () => {
    const before = list([
      pv('pv-a', 'cinder-1', { name: 'claim-a' }),
      {
        ...pv('pv-db', 'cinder-7', { name: 'hub-db-dir' }),
        spec: {
          ...pv('pv-db', 'cinder-7').spec,
          capacity: { storage: '1Gi' },
          claimRef: { namespace: 'jhub', name: 'hub-db-dir' },
        },
      },
    ]);
    const facts = {
      ...restored,
      volumesBefore: { path: 'b/pv.json', text: before },
      claims: [claim('claim-a', 'pv-a', 'u1')],
      volumes: [
        pv('pv-a', 'cinder-1', { name: 'claim-a', uid: 'u1' }),
        pv('pv-gone', 'cinder-9', { name: 'claim-gone' }),
        pv('pv-newdb', 'cinder-8', { name: 'hub-db-dir', uid: 'u5' }),
      ],
    };
    const plan = kubectlVerifyVolumesPlugin.plan({ ...args, left_behind_from: 'b' }, facts);
    expect(plan.change).toBe('none');
    expect(plan.reason).toMatch(/; 1 Cinder volume\(s\) of the old cluster have no PV now$/);
    expect(plan.details).toEqual([
      'left without a PV: Cinder volume cinder-7 (1Gi), was pv-db of jhub/hub-db-dir',
      'list and remove them with playbooks/remove-orphaned-volumes.yml (-e delete_volumes=cinder-7 --yes)',
    ]);
    expect(kubectlVerifyVolumesPlugin.plan(args, { ...facts, volumesBefore: undefined }).details).toBeUndefined();

    // A hand-taken backup holds every PV of the cluster: another namespace's user is named, never offered for deletion.
    const withOther = list([
      pv('pv-db', 'cinder-7', { name: 'hub-db-dir' }),
      {
        ...pv('pv-g', 'cinder-6'),
        spec: { csi: { volumeHandle: 'cinder-6' }, claimRef: { namespace: 'grading', name: 'claim-eve' } },
      },
    ]);
    expect(
      kubectlVerifyVolumesPlugin.plan(
        { ...args, left_behind_from: 'b' },
        { ...facts, volumesBefore: { path: 'b/pv.yaml', text: withOther } },
      ).details,
    ).toEqual([
      'left without a PV: Cinder volume cinder-7, was pv-db of jhub/hub-db-dir',
      "left without a PV: Cinder volume cinder-6, was pv-g of grading/claim-eve: a user's home volume, not restored by this run; give it back to them, do not delete it",
      'list and remove them with playbooks/remove-orphaned-volumes.yml (-e delete_volumes=cinder-7 --yes)',
    ]);
  });

  it("fails naming both when a second PV, made by hand under another name, points at a user's cloud volume for another claim", () => {
    const facts = {
      ...restored,
      claims: [claim('claim-a', 'pv-a', 'u1'), claim('claim-thief', 'pv-copy', 'u7')],
      volumes: [
        pv('pv-a', 'cinder-1', { name: 'claim-a', uid: 'u1' }),
        pv('pv-gone', 'cinder-9', { name: 'claim-gone' }),
        pv('pv-copy', 'cinder-1', { name: 'claim-thief', uid: 'u7' }),
      ],
    };
    expect(() => kubectlVerifyVolumesPlugin.plan(args, facts)).toThrow(
      'volume pv-copy also points at cloud volume cinder-1, restored for jhub/claim-a in volume pv-a, and is held by jhub/claim-thief',
    );
  });

  it('fails at once when a volume points at another cloud volume', () => {
    const facts = {
      ...restored,
      claims: [claim('claim-a', 'pv-a', 'u1')],
      volumes: [
        pv('pv-a', 'cinder-2', { name: 'claim-a', uid: 'u1' }),
        pv('pv-gone', 'cinder-9', { name: 'claim-gone' }),
      ],
    };
    expect(() => kubectlVerifyVolumesPlugin.plan(args, facts)).toThrow(
      'volume pv-a points at cloud volume cinder-2, not cinder-1',
    );
  });

  it("fails at once, naming both sides, when a claim is Bound to its volume but the volume records another claim's uid", () => {
    const facts = {
      ...restored,
      claims: [claim('claim-a', 'pv-a', 'u1')],
      volumes: [
        pv('pv-a', 'cinder-1', { name: 'claim-a', uid: 'u0' }),
        pv('pv-gone', 'cinder-9', { name: 'claim-gone' }),
      ],
    };
    expect(() => kubectlVerifyVolumesPlugin.plan(args, facts)).toThrow(
      'volume pv-a records claim claim-a with uid u0, but the claim now has uid u1',
    );
  });

  it('fails at once instead of waiting when another claim holds the volume a Pending claim waits for', () => {
    const facts = {
      ...restored,
      claims: [claim('claim-a', 'pv-a', 'u1', 'Pending'), claim('hub-db-dir', 'pv-a', 'u2')],
      volumes: [
        pv('pv-a', 'cinder-1', { name: 'hub-db-dir', uid: 'u2' }),
        pv('pv-gone', 'cinder-9', { name: 'claim-gone' }),
      ],
    };
    expect(() => kubectlVerifyVolumesPlugin.plan(args, facts)).toThrow(
      'volume pv-a (cloud volume cinder-1), restored for jhub/claim-a, is held by jhub/hub-db-dir',
    );
  });

  it("fails when a new claim took a deleted user's reserved volume", () => {
    const facts = {
      ...restored,
      claims: [claim('claim-a', 'pv-a', 'u1'), claim('claim-new', 'pv-gone', 'u3')],
      volumes: [
        pv('pv-a', 'cinder-1', { name: 'claim-a', uid: 'u1' }),
        pv('pv-gone', 'cinder-9', { name: 'claim-new', uid: 'u3' }),
      ],
    };
    expect(() => kubectlVerifyVolumesPlugin.plan(args, facts)).toThrow(
      'volume pv-gone (cloud volume cinder-9), restored for jhub/claim-gone, is held by jhub/claim-new',
    );
  });

  it('waits while a claim is Pending for its own volume', () => {
    const plan = kubectlVerifyVolumesPlugin.plan(args, {
      ...restored,
      claims: [claim('claim-a', 'pv-a', 'u1', 'Pending')],
      volumes: [pv('pv-a', 'cinder-1', { name: 'claim-a' }), pv('pv-gone', 'cinder-9', { name: 'claim-gone' })],
    });
    expect(plan).toMatchObject({
      change: 'run',
      reason: 'not yet: 0 of 1 claim(s) Bound; waiting for claim-a (Pending)',
    });
    expect(plan.poll).toBeDefined();
  });

  it('closes a pending restore of its namespace, as its effect known from its arguments', () => {
    expect(kubectlVerifyVolumesPlugin.effects!(args)).toEqual({ restore: { namespace: 'jhub', state: 'verified' } });
  });

  it("refuses files with no claim of the namespace, instead of 'all 0 claim(s) Bound'; allow_empty takes them", () => {
    const empty = { expectedClaims: list([]), expectedVolumes: list([]), claims: [], volumes: [] };
    expect(() => kubectlVerifyVolumesPlugin.plan(args, empty)).toThrow(
      expect.objectContaining({
        name: 'PlanRefusal',
        message:
          'c holds no claim of jhub to check: a restore that brought back nobody is not verified; allow_empty: true for a namespace that has no users yet',
      }),
    );
    // Only hub-db-dir, which is not checked, is still nobody.
    const hubOnly = { ...empty, expectedClaims: list([claim('hub-db-dir', 'pv-h', '')]) };
    expect(() => kubectlVerifyVolumesPlugin.plan({ ...args, ignore: ['hub-db-dir'] }, hubOnly)).toThrow(
      /\(besides hub-db-dir\)/,
    );
    expect(kubectlVerifyVolumesPlugin.plan({ ...args, allow_empty: true }, empty).change).toBe('none');
  });
});
