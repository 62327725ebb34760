import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubectlPrepareRestorePlugin } from '../../runner/plugins/kubectl-prepare-restore.js';
import { bindingAnnotations } from '../../runner/plugins/kube/restore-plan.js';
import { runEngine } from '../helpers/engine-harness.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pv-restore/${name}`, import.meta.url), 'utf8');
const csi = {
  claims: { path: 'b/pvc.yaml', text: fixture('pvc-csi.yaml') },
  volumes: { path: 'b/pv.yaml', text: fixture('pv-csi.yaml') },
  written: [undefined, undefined, undefined],
};
const written = (plan: ReturnType<typeof kubectlPrepareRestorePlugin.plan>, path: string) =>
  JSON.parse((plan.actions.find((action) => 'path' in action && action.path === path) as { content: string }).content);

describe('kubectl.prepare_restore on a CSI-era backup', () => {
  const plan = kubectlPrepareRestorePlugin.plan({ dir: 'b', namespace: 'jhub' }, csi);
  const volumes = written(plan, 'b/pv-restore.json').items;
  const claims = written(plan, 'b/pvc-restore.json').items;

  it('reserves each volume for its own claim by name, as Velero does: no uid, no resourceVersion, Retain', () => {
    expect(volumes.map((pv: any) => [pv.spec.claimRef.name, pv.spec.claimRef.namespace])).toEqual([
      ['claim-ana', 'jhub'],
      ['claim-chi-2ewu', 'jhub'],
      ['claim-dee', 'jhub'],
      ['claim-ben', 'jhub'],
    ]);
    for (const pv of volumes) {
      expect(pv.spec.claimRef).toEqual({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: pv.spec.claimRef.name,
        namespace: 'jhub',
      });
      expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Retain');
      expect(pv.status).toBeUndefined();
      expect(Object.keys(pv.metadata).sort()).toEqual(['annotations', 'name']);
      for (const annotation of bindingAnnotations)
        expect(pv.metadata.annotations?.[annotation], annotation).toBeUndefined();
    }
  });

  it('keeps what makes each volume the same disk: the CSI volume handle, topology, class and mode; drops the attacher finalizers', () => {
    const ana = volumes.find((pv: any) => pv.spec.claimRef.name === 'claim-ana');
    expect(ana.spec.csi).toEqual({
      driver: 'cinder.csi.openstack.org',
      fsType: 'ext4',
      volumeAttributes: {
        'storage.kubernetes.io/csiProvisionerIdentity': '1688154370185-8081-cinder.csi.openstack.org',
      },
      volumeHandle: '11111111-2222-4333-8444-555555555555',
    });
    expect(ana.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]).toEqual({
      key: 'topology.cinder.csi.openstack.org/zone',
      operator: 'In',
      values: ['nova'],
    });
    expect([ana.spec.storageClassName, ana.spec.volumeMode]).toEqual(['cinder-csi', 'Filesystem']);
    expect(ana.metadata.finalizers).toBeUndefined();
  });

  it('keeps each claim naming its volume and class, without what the binder and scheduler wrote', () => {
    expect(claims.map((pvc: any) => [pvc.metadata.name, pvc.spec.volumeName, pvc.spec.storageClassName])).toEqual([
      ['claim-ana', 'pvc-0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9', 'cinder-csi'],
      ['claim-ben', 'pvc-9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19', 'cinder-csi'],
      ['claim-chi-2ewu', 'pvc-3c4d5e6f-7a8b-49c0-9d1e-2f3a4b5c6d7e', 'cinder-csi'],
    ]);
    for (const pvc of claims) {
      expect(pvc.status).toBeUndefined();
      expect(pvc.metadata.uid).toBeUndefined();
      expect(pvc.metadata.finalizers).toBeUndefined();
      expect(Object.keys(pvc.metadata.annotations)).toEqual(['hub.jupyter.org/username']);
    }
  });

  it("names the deleted user's Released volume, the other namespace's volume and hub-db-dir, in its output and in a restore report", () => {
    expect(plan.reason).toBe(
      'write 3 volume(s) pre-bound to their claims in jhub, 1 of deleted users pre-bound to their old claims (claim-dee); left out: 2 (see b/restore-report.json)',
    );
    expect(plan.details).toEqual([
      'claim-ana <- pvc-0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9 (cloud volume 11111111-2222-4333-8444-555555555555): pre-bound to its claim',
      'claim-chi-2ewu <- pvc-3c4d5e6f-7a8b-49c0-9d1e-2f3a4b5c6d7e (cloud volume 33333333-4444-4555-8666-777777777777): pre-bound to its claim',
      'claim-dee <- pvc-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9 (cloud volume 44444444-5555-4666-8777-888888888888): pre-bound to the claim of a deleted user, kept for their return',
      'claim-ben <- pvc-9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19 (cloud volume 22222222-3333-4444-8555-666666666666): pre-bound to its claim',
      'left out: pvc-6f0b2d8e-5a3c-4e11-9d3f-0c1e2a7b4d55 (hub-db-dir): its claim is in the skip list',
      'left out: pvc-7a8b9c0d-1e2f-4a3b-b4c5-d6e7f8a9b0c1 (grading/claim-ana): belongs to namespace grading, which this restore does not touch',
    ]);
    const report = written(plan, 'b/restore-report.json');
    expect(report.restored.find((entry: any) => entry.kind === 'released')).toEqual({
      claim: 'claim-dee',
      volume: 'pvc-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
      cloud_volume: '44444444-5555-4666-8777-888888888888',
      kind: 'released',
    });
    expect(report.left_out.map((entry: any) => entry.claim)).toEqual(['hub-db-dir', 'grading/claim-ana']);
  });

  it('leaves released volumes out, and names them, when asked to', () => {
    const skipped = kubectlPrepareRestorePlugin.plan({ dir: 'b', namespace: 'jhub', released: 'skip' }, csi);
    expect(written(skipped, 'b/pv-restore.json').items.map((pv: any) => pv.spec.claimRef.name)).not.toContain(
      'claim-dee',
    );
    expect(skipped.details).toContain(
      'left out: pvc-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9 (claim-dee): its claim is gone (a deleted user) and released volumes are skipped',
    );
  });

  it('is ok when the restore files already say the same', () => {
    const contents = ['b/pv-restore.json', 'b/pvc-restore.json', 'b/restore-report.json'].map(
      (path) =>
        (plan.actions.find((action) => 'path' in action && action.path === path) as { content: string }).content,
    );
    expect(
      kubectlPrepareRestorePlugin.plan({ dir: 'b', namespace: 'jhub' }, { ...csi, written: contents }),
    ).toMatchObject({ change: 'none', actions: [] });
  });

  it('refuses a backup whose claim names a volume it does not hold, or two volumes on one disk', () => {
    const without = {
      ...csi,
      volumes: { path: 'b/pv.yaml', text: fixture('pv-csi.yaml').replace('name: claim-ben', 'name: claim-other') },
    };
    expect(() => kubectlPrepareRestorePlugin.plan({ dir: 'b', namespace: 'jhub' }, without)).toThrow(
      'claim claim-ben names volume pvc-9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19, which the backup does not hold bound to it',
    );
    const twins = {
      ...csi,
      volumes: {
        path: 'b/pv.yaml',
        text: fixture('pv-csi.yaml').replace(
          'volumeHandle: 22222222-3333-4444-8555-666666666666',
          'volumeHandle: 11111111-2222-4333-8444-555555555555',
        ),
      },
    };
    expect(() => kubectlPrepareRestorePlugin.plan({ dir: 'b', namespace: 'jhub' }, twins)).toThrow(
      'both point at cloud volume 11111111-2222-4333-8444-555555555555',
    );
  });
});

describe('kubectl.prepare_restore on the in-tree fixture, through the engine', () => {
  it('writes JSON restore files from a YAML backup; a rerun changes nothing', async () => {
    const files = { 'backup/pv.yaml': fixture('pv-intree.yaml'), 'backup/pvc.yaml': fixture('pvc-intree.yaml') };
    const yaml =
      'name: p\nsteps:\n  - name: prepare\n    kubectl.prepare_restore: {dir: "{{ dir }}/backup", namespace: jhub}\n';
    const first = await runEngine(yaml, { files });
    expect(first.ends[0]).toMatchObject({ status: 'changed' });
    const volumes = JSON.parse(readFileSync(`${first.dir}/backup/pv-restore.json`, 'utf8')).items;
    expect(
      volumes.map((pv: any) => [
        pv.spec.claimRef.name,
        pv.spec.cinder.volumeID !== undefined,
        pv.spec.storageClassName,
      ]),
    ).toEqual([
      ['claim-zonca', true, 'standard'],
      ['claim-alice', true, 'standard'],
      ['claim-j-2edoe', true, 'standard'],
    ]);
    const again = await runEngine(yaml, { dir: first.dir });
    expect(again.ends[0]).toMatchObject({ status: 'ok' });
    expect(first.runner.calls).toEqual([]);
  });
});

describe('kubectl.prepare_restore refuses a backup that would restore the wrong users, or nobody', () => {
  const yaml =
    'name: p\nsteps:\n  - name: prepare\n    kubectl.prepare_restore: {dir: "{{ dir }}/backup", namespace: jhub}\n';

  it('refuses a folder holding both forms of one file when they are different backups (the YAML has a user more)', async () => {
    const claims = fixture('pvc-intree.yaml');
    const fewer = { items: [] as unknown[] };
    const run = await runEngine(yaml, {
      files: {
        'backup/pv.yaml': fixture('pv-intree.yaml'),
        'backup/pvc.yaml': claims,
        'backup/pvc.json': JSON.stringify(fewer),
      },
    });
    expect(run.ends[0]).toMatchObject({ status: 'failed', refused: true });
    expect(run.ends[0]!.error).toMatch(/holds both pvc\.json and pvc\.yaml, and they are different backups/);
  });

  it('takes the JSON when both forms hold the same backup', async () => {
    const run = await runEngine(yaml, {
      files: {
        'backup/pv.yaml': fixture('pv-intree.yaml'),
        'backup/pvc.yaml': fixture('pvc-intree.yaml'),
        'backup/pvc.json': JSON.stringify(parse(fixture('pvc-intree.yaml'))),
      },
    });
    expect(run.ends[0]).toMatchObject({ status: 'changed' });
  });

  it("refuses a backup of another namespace instead of preparing '0 volume(s)'", async () => {
    const other = (text: string) => text.replaceAll('namespace: jhub', 'namespace: grading');
    const run = await runEngine(yaml, {
      files: {
        'backup/pv.yaml': other(fixture('pv-intree.yaml')),
        'backup/pvc.yaml': other(fixture('pvc-intree.yaml')),
      },
    });
    expect(run.ends[0]).toMatchObject({ status: 'failed', refused: true });
    expect(run.ends[0]!.error).toContain('holds no claim of namespace jhub to restore, only of grading');
  });

  it('refuses a backup with no volume of the namespace, naming what it holds; allow_empty takes it', async () => {
    const onlyHub = (text: string) => {
      const list = parse(text);
      return JSON.stringify({
        ...list,
        items: list.items.filter((item: any) => JSON.stringify(item).includes('hub-db-dir')),
      });
    };
    const files = {
      'backup/pv.json': onlyHub(fixture('pv-intree.yaml')),
      'backup/pvc.json': onlyHub(fixture('pvc-intree.yaml')),
    };
    const run = await runEngine(yaml, { files });
    expect(run.ends[0]).toMatchObject({ status: 'failed', refused: true });
    expect(run.ends[0]!.error).toMatch(
      /holds no volume of namespace jhub to restore \(1 claim\(s\) and 1 volume\(s\) in it, 1 left out\): a restore that brings back nobody is usually the wrong folder; allow_empty: true for a namespace that has no users yet$/,
    );
    expect(existsSync(`${run.dir}/backup/pv-restore.json`)).toBe(false);
    const allowed = await runEngine(yaml.replace('namespace: jhub}', 'namespace: jhub, allow_empty: true}'), { files });
    expect(allowed.ends[0]).toMatchObject({ status: 'changed' });
  });
});
