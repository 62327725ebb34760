import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { kubectlBackupVolumesPlugin } from '../../runner/plugins/kubectl-backup-volumes.js';
import { boundClaims } from '../helpers/bound-claims.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const playbook = (extra = '') => `
name: backup
steps:
  - name: back up
    kubectl.backup_volumes: {namespace: jhub, dir: "{{ dir }}/backup"${extra}}
    register: backup
`;

describe('kubectl.backup_volumes with the real kubectl on the simulator', () => {
  it("saves the namespace's claims and only their volumes, verified, and keeps that backup on a rerun after the cluster is gone", async () => {
    const sandbox = await kubeSandbox('v33');
    await boundClaims(sandbox, { jhub: ['claim-ada', 'claim-bob', 'hub-db-dir'], other: ['claim-eve'] });
    const { kubectl } = await kubeBinaries('v33');
    const vars = { kubectl_binary: kubectl, kubeconfig: sandbox.kubeconfig };
    const first = await runEngine(playbook(), { dir: sandbox.dir, vars });
    expect(first.ends[0]).toMatchObject({
      status: 'changed',
      reason: `back up 3 claim(s) of jhub and their 3 volume(s) to ${sandbox.dir}/backup`,
    });
    expect(first.runner.calls.map((call) => call.argv.slice(3, 5))).toEqual([
      ['get', 'persistentvolumeclaims'],
      ['get', 'persistentvolumes'],
    ]);
    const claims = JSON.parse(readFileSync(`${sandbox.dir}/backup/pvc.json`, 'utf8'));
    const volumes = JSON.parse(readFileSync(`${sandbox.dir}/backup/pv.json`, 'utf8'));
    expect(claims.items.map((item: any) => item.metadata.name).sort()).toEqual([
      'claim-ada',
      'claim-bob',
      'hub-db-dir',
    ]);
    expect(volumes.items.map((item: any) => item.spec.claimRef.namespace)).toEqual(['jhub', 'jhub', 'jhub']);
    expect(volumes.kind).toBe('List');

    const saved = readFileSync(`${sandbox.dir}/backup/pv.json`, 'utf8');
    const kept = await runEngine(playbook(), { dir: sandbox.dir, vars });
    expect(kept.ends[0]).toMatchObject({
      status: 'ok',
      reason: `${sandbox.dir}/backup already holds a backup of 3 claim(s) and 3 volume(s); kept as it is, and it holds every claim Bound in the cluster now`,
    });

    // A user who arrives after the backup was taken would lose their volume if that backup were restored.
    await boundClaims(sandbox, { jhub: ['claim-new'] });
    const stale = await runEngine(playbook(), { dir: sandbox.dir, vars });
    expect(stale.ends[0]).toMatchObject({ status: 'failed', refused: true });
    expect(stale.ends[0]!.reason).toMatch(
      /^the backup in .*\/backup was taken before 1 claim\(s\) now Bound in the cluster: claim-new \(volume pvc-\S+\); restoring it would lose their volumes/,
    );

    await sandbox.server.close();
    const gone = await runEngine(playbook(), { dir: sandbox.dir, vars });
    expect(gone.ends[0]!.status).toBe('ok');
    expect(gone.ends[0]!.reason).toMatch(
      /kept as it is; the cluster cannot be reached \(.*refused.*\), so it was not compared with it$/,
    );
    expect(readFileSync(`${sandbox.dir}/backup/pv.json`, 'utf8')).toBe(saved);
  });

  it('names the volumes of other namespaces it leaves out, and opens a pending restore when one follows', async () => {
    const sandbox = await kubeSandbox('v33');
    await boundClaims(sandbox, { jhub: ['claim-ada'], grading: ['claim-ada'] });
    const { kubectl } = await kubeBinaries('v33');
    const vars = { kubectl_binary: kubectl, kubeconfig: sandbox.kubeconfig };
    const run = await runEngine(playbook(', restore_follows: true'), { dir: sandbox.dir, vars });
    const plan = run.events.find((event) => event.type === 'step:plan') as any;
    expect(plan.details).toHaveLength(2);
    expect(plan.details[0]).toMatch(
      /^left out: pvc-\S+ \(cloud volume \S+\): grading\/claim-ada, another namespace; not touched$/,
    );
    // A new cluster follows: how to bring the other namespace back with it.
    expect(plan.details[1]).toContain(
      'claims of other namespaces, grading (1), are not in this backup: on the new cluster they will not exist',
    );
    expect(plan.details[1]).toContain(
      "(rebuild-cluster.yml --tags restore -e namespace=grading -e backup_dir=<that backup's folder>)",
    );
    const kept = await runEngine(playbook('').replace('/backup"', '/reinstall-backup"'), { dir: sandbox.dir, vars });
    const keptPlan = kept.events.find((event) => event.type === 'step:plan') as any;
    expect(keptPlan.details, 'a reinstall keeps the cluster, and the other namespaces with it').toHaveLength(1);
    const result = run.events.find((event) => event.type === 'step:end') as any;
    expect(result.status).toBe('changed');
    expect(kubectlBackupVolumesPlugin.effects!({ namespace: 'jhub', dir: 'b', restore_follows: true })).toEqual({
      restore: { namespace: 'jhub', state: 'pending' },
    });
    expect(kubectlBackupVolumesPlugin.effects!({ namespace: 'jhub', dir: 'b' })).toEqual({});
  });

  it("keeps a hand-taken YAML backup (the seed's kubectl get -o yaml) as the backup", async () => {
    const sandbox = await kubeSandbox('v33');
    await boundClaims(sandbox, { jhub: ['claim-ada'] });
    const { kubectl } = await kubeBinaries('v33');
    const vars = { kubectl_binary: kubectl, kubeconfig: sandbox.kubeconfig };
    mkdirSync(`${sandbox.dir}/backup`);
    writeFileSync(
      `${sandbox.dir}/backup/pvc.yaml`,
      (await sandbox.kubectl(['get', 'pvc', '-n', 'jhub', '-o', 'yaml'])).stdout,
    );
    writeFileSync(`${sandbox.dir}/backup/pv.yaml`, (await sandbox.kubectl(['get', 'pv', '-o', 'yaml'])).stdout);
    const run = await runEngine(playbook(), { dir: sandbox.dir, vars });
    expect(run.ends[0]).toMatchObject({
      status: 'ok',
      reason: `${sandbox.dir}/backup already holds a backup of 1 claim(s) and 1 volume(s); kept as it is, and it holds every claim Bound in the cluster now`,
    });
    expect(existsSync(`${sandbox.dir}/backup/pv.json`)).toBe(false);
  });

  it('refuses an empty namespace unless allow_empty, and a saved backup it cannot read', async () => {
    const sandbox = await kubeSandbox('v33');
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    const { kubectl } = await kubeBinaries('v33');
    const vars = { kubectl_binary: kubectl, kubeconfig: sandbox.kubeconfig };
    const refused = await runEngine(playbook(), { dir: sandbox.dir, vars });
    expect(refused.ends[0]!.status).toBe('failed');
    expect(refused.ends[0]!.reason).toContain(
      'namespace jhub has no PersistentVolumeClaims, so there is nothing to back up',
    );
    const allowed = await runEngine(playbook(', allow_empty: true'), { dir: sandbox.dir, vars });
    expect(allowed.ends[0]!.status).toBe('changed');

    writeFileSync(`${sandbox.dir}/backup/pv.json`, '{"items": [');
    const broken = await runEngine(playbook(), { dir: sandbox.dir, vars });
    expect(broken.ends[0]!.reason).toMatch(/backup\/pv\.json is not valid JSON or YAML .*move it aside/);
  });
});

describe('kubectl.backup_volumes planning', () => {
  const pv = (name: string, claim: string, uid: string) => ({
    metadata: { name },
    spec: { claimRef: { namespace: 'jhub', name: claim, uid } },
  });
  const pvc = (name: string, volumeName: string, uid: string) => ({
    metadata: { name, namespace: 'jhub', uid },
    spec: { volumeName },
    status: { phase: 'Bound' },
  });

  it("refuses when a bound claim's volume is missing or records another claim", () => {
    const facts = {
      claims: [pvc('claim-a', 'pv-a', 'u1'), pvc('claim-b', 'pv-b', 'u2')],
      volumes: [pv('pv-a', 'claim-a', 'u1'), pv('pv-b', 'claim-b', 'stale')],
      savedClaims: undefined,
      savedVolumes: undefined,
    };
    expect(() => kubectlBackupVolumesPlugin.plan({ namespace: 'jhub', dir: 'b' }, facts)).toThrow(
      'would not cover 1 bound claim(s): claim-b (volume pv-b)',
    );
    expect(() => kubectlBackupVolumesPlugin.plan({ namespace: 'jhub', dir: 'b' }, { ...facts, volumes: [] })).toThrow(
      'would not cover 2 bound claim(s)',
    );
  });

  it('writes both files without ever replacing one', () => {
    const plan = kubectlBackupVolumesPlugin.plan(
      { namespace: 'jhub', dir: 'b' },
      {
        claims: [pvc('claim-a', 'pv-a', 'u1')],
        volumes: [pv('pv-a', 'claim-a', 'u1')],
        savedClaims: undefined,
        savedVolumes: undefined,
      },
    );
    expect(
      plan.actions.map((action) => [
        action.kind,
        'path' in action && action.path,
        'noClobber' in action && action.noClobber,
      ]),
    ).toEqual([
      ['write', 'b/pvc.json', true],
      ['write', 'b/pv.json', true],
    ]);
    expect(plan.data).toMatchObject({ claims: 1, bound_claims: 1, volumes: 1, volume_names: ['pv-a'], verified: true });
  });

  it('completes half a backup left by a killed run when it matches the cluster, and refuses one that does not', () => {
    const facts = {
      claims: [pvc('claim-a', 'pv-a', 'u1')],
      volumes: [pv('pv-a', 'claim-a', 'u1')],
      savedVolumes: undefined,
    };
    const full = kubectlBackupVolumesPlugin.plan({ namespace: 'jhub', dir: 'b' }, { ...facts, savedClaims: undefined });
    const claimsText = (full.actions[0] as { content: string }).content;
    const completed = kubectlBackupVolumesPlugin.plan(
      { namespace: 'jhub', dir: 'b' },
      { ...facts, savedClaims: { path: 'b/pvc.json', text: claimsText } },
    );
    expect(completed.reason).toBe('complete the backup in b (an interrupted run wrote only pvc.json)');
    expect(completed.actions.map((action) => 'path' in action && action.path)).toEqual(['b/pv.json']);
    expect(() =>
      kubectlBackupVolumesPlugin.plan(
        { namespace: 'jhub', dir: 'b' },
        { ...facts, savedClaims: { path: 'b/pvc.json', text: 'items: []' } },
      ),
    ).toThrow('holds only half a backup (pvc.json), and it differs from the cluster now');
    expect(() =>
      kubectlBackupVolumesPlugin.plan(
        { namespace: 'jhub', dir: 'b' },
        { ...facts, savedClaims: { path: 'b/pvc.yaml', text: claimsText } },
      ),
    ).toThrow('holds only half a backup (pvc.yaml)');
  });

  it('says it protects the namespace, in a typed mark the destruction guard reads', () => {
    const plan = kubectlBackupVolumesPlugin.plan(
      { namespace: 'jhub', dir: 'b', restore_follows: true },
      {
        claims: [pvc('claim-a', 'pv-a', 'u1')],
        volumes: [pv('pv-a', 'claim-a', 'u1')],
        savedClaims: undefined,
        savedVolumes: undefined,
      },
    );
    expect(plan.protects).toMatchObject({ dir: 'b', namespace: 'jhub' });
    // The files as written, with their digests: a destruction later checks they still read back the same.
    expect(plan.protects?.files?.map((file) => file.path)).toEqual(['b/pvc.json', 'b/pv.json']);
    expect(plan.protects?.files?.every((file) => /^[0-9a-f]{64}$/.test(file.sha256))).toBe(true);
    expect(plan.restore).toEqual({ namespace: 'jhub', state: 'pending', backupDir: 'b' });
  });
});
