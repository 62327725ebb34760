import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { kubectlDeletePlugin } from '../../runner/plugins/kubectl-delete.js';
import { storageKindOf } from '../../runner/plugins/kube/storage-kinds.js';
import { boundClaims } from '../helpers/bound-claims.js';
import { kubeSandbox, type KubeSandbox } from '../helpers/kube-sandbox.js';
import { runApp } from '../helpers/run-app.js';

/** Every spelling kubectl 1.33 resolves to each kind (checked against the real kubectl below). */
const spellings = {
  Namespace: [
    'ns',
    'namespace',
    'namespaces',
    'Namespace',
    'NAMESPACES',
    'namespaces.v1.',
    'ns.v1.',
    'Namespace.v1.',
    'namespaces.',
  ],
  PersistentVolumeClaim: [
    'pvc',
    'persistentvolumeclaim',
    'persistentvolumeclaims',
    'PersistentVolumeClaim',
    'PersistentVolumeClaims',
    'pvc.v1.',
    'persistentvolumeclaims.v1.',
    'persistentvolumeclaims.',
  ],
  PersistentVolume: [
    'pv',
    'persistentvolume',
    'persistentvolumes',
    'PersistentVolume',
    'pv.v1.',
    'persistentvolumes.v1.',
    'persistentvolumes.',
  ],
} as const;

/** The object each kind's delete targets: the users' namespace, a user's claim, that claim's volume. */
async function targets(sandbox: KubeSandbox): Promise<Record<keyof typeof spellings, string>> {
  const claim = JSON.parse((await sandbox.kubectl(['get', 'pvc', 'claim-ada', '-n', 'jhub', '-o', 'json'])).stdout);
  return { Namespace: 'jhub', PersistentVolumeClaim: 'claim-ada', PersistentVolume: claim.spec.volumeName };
}

const decoyPlaybook = (backupNamespace: string) => `name: delete after a backup
steps:
  - name: back up a namespace
    kubectl.backup_volumes: {namespace: ${backupNamespace}, dir: "{{ state }}/backup-{{ run_id }}"}
  - name: delete
    kubectl.delete: {kind: "{{ kind }}", name: "{{ target }}", namespace: jhub, wait: false}
`;

describe('kubectl.delete is guarded by the kind the API names, not by its spelling', () => {
  it('resolves every spelling kubectl accepts for namespaces, claims and volumes, and no other kind', async () => {
    for (const [kind, names] of Object.entries(spellings))
      for (const name of names) expect(storageKindOf(name), name).toBe(kind);
    for (const name of ['deployment', 'pods', 'namespaces.apps', 'pvc.storage.k8s.io', 'configmaps', 'secret'])
      expect(storageKindOf(name), name).toBeUndefined();
    const sandbox = await kubeSandbox('v33');
    await boundClaims(sandbox, { jhub: ['claim-ada'] });
    const named = await targets(sandbox);
    for (const [kind, names] of Object.entries(spellings)) {
      for (const name of names) {
        const got = await sandbox.kubectl([
          'get',
          name,
          named[kind as keyof typeof spellings],
          '-n',
          'jhub',
          '-o',
          'json',
        ]);
        expect(got.exitCode, `kubectl get ${name}: ${got.stderr}`).toBe(0);
        expect(JSON.parse(got.stdout).kind).toBe(kind);
      }
    }
  });

  it('refuses every spelling with --yes when the only backup is of another namespace, and deletes nothing; a backup of jhub lets it go', async () => {
    const sandbox = await kubeSandbox('v33');
    await boundClaims(sandbox, { jhub: ['claim-ada'], grading: ['claim-bo'] });
    const named = await targets(sandbox);
    const { kubectl } = await kubeBinaries('v33');
    writeFileSync(
      `${sandbox.dir}/site.yml`,
      `site_name: guards\nstate_dir: ${sandbox.dir}/.state\nstate: ${sandbox.dir}\nkubectl_binary: ${kubectl}\nkubeconfig: ${sandbox.kubeconfig}\n`,
    );
    writeFileSync(`${sandbox.dir}/decoy.yml`, decoyPlaybook('grading'));
    writeFileSync(`${sandbox.dir}/covered.yml`, decoyPlaybook('jhub'));
    const deletes = () => sandbox.server.mutatingRequests.filter((request) => request.method === 'DELETE').length;
    for (const [kind, names] of Object.entries(spellings)) {
      for (const name of names) {
        const run = await runApp([
          `${sandbox.dir}/decoy.yml`,
          '-i',
          `${sandbox.dir}/site.yml`,
          '--yes',
          '-e',
          `kind=${name}`,
          '-e',
          `target=${named[kind as keyof typeof spellings]}`,
        ]);
        expect(run.code, `${name}: ${run.stdout}${run.stderr}`).toBe(4);
        expect(run.stdout).toMatch(/refused to destroy .*: no verified backup of namespace jhub from this run/);
        expect(deletes(), name).toBe(0);
      }
    }
    const covered = await runApp([
      `${sandbox.dir}/covered.yml`,
      '-i',
      `${sandbox.dir}/site.yml`,
      '--yes',
      '-e',
      'kind=namespaces.v1.',
      '-e',
      'target=jhub',
    ]);
    expect(covered.code, covered.stdout).toBe(0);
    expect(deletes()).toBe(1);
  }, 120_000);

  it('says up front, from its arguments, what it may destroy', () => {
    expect(kubectlDeletePlugin.effects!({ kind: 'Namespace.v1.', name: 'jhub' })).toEqual({
      destroys: { what: 'Namespace.v1./jhub', namespace: 'jhub' },
    });
    expect(kubectlDeletePlugin.effects!({ kind: 'pvc', name: 'claim-ada', namespace: 'jhub' })).toEqual({
      destroys: { what: 'pvc/claim-ada in jhub', namespace: 'jhub' },
    });
    expect(kubectlDeletePlugin.effects!({ kind: 'configmap', name: 'x', namespace: 'jhub' })).toEqual({});
  });
});
