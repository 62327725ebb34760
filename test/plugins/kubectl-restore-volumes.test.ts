import { describe, expect, it } from 'vitest';
import { kubectlRestoreVolumesPlugin } from '../../runner/plugins/kubectl-restore-volumes.js';

const list = (items: object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
const volume = (name: string, handle: string, claim: string, uid?: string, namespace = 'jhub') => ({
  metadata: { name },
  spec: { csi: { volumeHandle: handle }, claimRef: { namespace, name: claim, ...(uid ? { uid } : {}) } },
});
const claim = (name: string, volumeName?: string, phase = 'Bound') => ({
  metadata: { name, namespace: 'jhub', uid: `uid-${name}` },
  spec: { ...(volumeName ? { volumeName } : {}) },
  status: { phase },
});
const files = {
  volumesText: list([volume('pv-a', 'cinder-a', 'claim-a'), volume('pv-b', 'cinder-b', 'claim-b')]),
  claimsText: list([claim('claim-a', 'pv-a'), claim('claim-b', 'pv-b')]),
};
const args = { namespace: 'jhub', dir: 'b' };

describe('kubectl.restore_volumes', () => {
  it('applies the volumes, the namespace and the claims when none is on the cluster', () => {
    const plan = kubectlRestoreVolumesPlugin.plan(args, {
      ...files,
      liveVolumes: [],
      liveClaims: [],
      namespaceExists: false,
    });
    expect(plan.change).toBe('create');
    expect(plan.actions.map((action) => (action.kind === 'exec' ? action.argv.join(' ') : action.path))).toEqual([
      'kubectl apply --filename b/pv-restore.json',
      'kubectl apply --filename -',
      'kubectl apply --namespace jhub --filename b/pvc-restore.json',
    ]);
    expect(plan.details).toEqual([
      'volume pv-a (cloud volume cinder-a) for claim claim-a',
      'volume pv-b (cloud volume cinder-b) for claim claim-b',
      'claim claim-a naming volume pv-a',
      'claim claim-b naming volume pv-b',
    ]);
  });

  it('is ok when every volume and claim is there, each with its own; a resumed run applies only what is missing', () => {
    const done = kubectlRestoreVolumesPlugin.plan(args, {
      ...files,
      liveVolumes: [
        volume('pv-a', 'cinder-a', 'claim-a', 'uid-claim-a'),
        volume('pv-b', 'cinder-b', 'claim-b', 'uid-claim-b'),
      ],
      liveClaims: [claim('claim-a', 'pv-a'), claim('claim-b', 'pv-b')],
      namespaceExists: true,
    });
    expect(done).toMatchObject({
      change: 'none',
      reason: 'all 2 volume(s) and 2 claim(s) of the restore are on the cluster, each with its own',
    });
    const half = kubectlRestoreVolumesPlugin.plan(args, {
      ...files,
      liveVolumes: [volume('pv-a', 'cinder-a', 'claim-a'), volume('pv-b', 'cinder-b', 'claim-b')],
      liveClaims: [],
      namespaceExists: true,
    });
    expect(half.actions.map((action) => (action.kind === 'exec' ? action.argv.at(-1) : ''))).toEqual([
      'b/pvc-restore.json',
    ]);
  });

  it('refuses before any write, naming claim, volume held and volume expected, when a claim was made early', () => {
    const live = {
      liveVolumes: [volume('pvc-new', 'cinder-new', 'claim-a', 'uid-claim-a')],
      liveClaims: [claim('claim-a', 'pvc-new'), claim('claim-b', undefined, 'Pending')],
      namespaceExists: true,
    };
    expect(() => kubectlRestoreVolumesPlugin.plan(args, { ...files, ...live })).toThrow(
      /^2 volume\(s\) or claim\(s\) of the restore are already taken on this cluster, so nothing was applied: claim claim-a exists, holding volume pvc-new \(cloud volume cinder-new\), not pv-a \(cloud volume cinder-a\), claim claim-b exists \(Pending\) and waits for a volume of its own, not pv-b \(cloud volume cinder-b\)\. /,
    );
    try {
      kubectlRestoreVolumesPlugin.plan(args, { ...files, ...live });
    } catch (error) {
      expect((error as Error).name).toBe('PlanRefusal');
    }
  });

  it('explains a claims apply that failed because a server made its claim after the check: which claim, and what to do', async () => {
    // The cluster after the failed apply: the volumes are restored, and claim-b was made with a new volume first.
    const answers: Record<string, object> = {
      persistentvolumes: {
        items: [
          volume('pv-a', 'cinder-a', 'claim-a'),
          volume('pv-b', 'cinder-b', 'claim-b'),
          volume('pvc-new', 'cinder-new', 'claim-b', 'uid-claim-b'),
        ],
      },
      namespace: { metadata: { name: 'jhub' } },
      persistentvolumeclaims: { items: [claim('claim-a', 'pv-a'), claim('claim-b', 'pvc-new')] },
    };
    const io = {
      readFile: async (path: string) =>
        ({ 'b/pv-restore.json': files.volumesText, 'b/pvc-restore.json': files.claimsText })[path],
      run: async (argv: string[]) => {
        const kind = ['persistentvolumeclaims', 'persistentvolumes', 'namespace'].find((word) => argv.includes(word))!;
        return { exitCode: 0, stdout: JSON.stringify(answers[kind]), stderr: '' };
      },
    };
    const lines = await kubectlRestoreVolumesPlugin.explainFailure!(args, io as never);
    expect(lines).toEqual([
      'taken on the cluster while the restore ran: claim claim-b exists, holding volume pvc-new (cloud volume cinder-new), not pv-b (cloud volume cinder-b). Nothing of the backup is lost: stop that user\'s server, delete the claim made too early (see "How volumes come back" in the README), then run again with --resume',
    ]);
  });

  it('refuses a volume name that exists with another disk, or held by another claim, and a disk already in another volume', () => {
    const liveVolumes = [
      volume('pv-a', 'cinder-z', 'claim-a'),
      volume('pv-b', 'cinder-b', 'hub-db-dir', 'u9'),
      volume('pv-x', 'cinder-a', 'claim-q', 'u8', 'grading'),
    ];
    const conflicts = () =>
      kubectlRestoreVolumesPlugin.plan(args, { ...files, liveVolumes, liveClaims: [], namespaceExists: true });
    expect(conflicts).toThrow('volume pv-a already exists and points at cloud volume cinder-z, not cinder-a');
    expect(conflicts).toThrow('volume pv-b (cloud volume cinder-b) is held by jhub/hub-db-dir, not jhub/claim-b');
    const twin = () =>
      kubectlRestoreVolumesPlugin.plan(args, {
        ...files,
        liveVolumes: [volume('pv-x', 'cinder-a', 'claim-q', 'u8', 'grading')],
        liveClaims: [],
        namespaceExists: true,
      });
    expect(twin).toThrow('cloud volume cinder-a of pv-a is already in volume pv-x, held by grading/claim-q');
  });

  it('shows every command in a dry run, where the cluster cannot be read', () => {
    expect(kubectlRestoreVolumesPlugin.plan(args, undefined).actions).toHaveLength(3);
  });
});
