import { describe, expect, it } from 'vitest';
import { memoryVolumeBackend } from '../../../../sandbox/cloud/volume-backend.js';
import type { KubeObject } from '../../../../sandbox/kube/object-store.js';
import type { SiteSnapshot } from '../../../../sandbox/site/twin/read-snapshot.js';
import { twinReport } from '../../../../sandbox/site/twin/twin-report.js';

const pv = (name: string, volume: string, claim: string, phase = 'Bound'): KubeObject => ({
  metadata: { name },
  spec: {
    csi: { driver: 'cinder.csi.openstack.org', volumeHandle: volume },
    claimRef: { namespace: 'jhub', name: claim },
    storageClassName: 'cinder-csi',
  },
  status: { phase },
});
const pvc = (name: string, volumeName: string | undefined, uid: string, phase = 'Bound'): KubeObject => ({
  metadata: { name, namespace: 'jhub', uid },
  spec: { storageClassName: 'cinder-csi', ...(volumeName ? { volumeName } : {}) },
  status: { phase },
});

const snapshot: SiteSnapshot = {
  dir: '/snapshots/hub',
  taken: '2026-12-01T00:00:00.000Z',
  siteName: 'hub',
  namespace: 'jhub',
  release: 'jhub',
  version: { major: '1', minor: '33', gitVersion: 'v1.33.2' },
  nodes: [],
  storageClasses: [{ metadata: { name: 'nfs' }, provisioner: 'nfs.csi.k8s.io' }],
  pvs: [
    pv('pv-a', 'vol-a', 'claim-a'),
    pv('pv-b', 'vol-b', 'claim-b'),
    pv('pv-c', 'vol-c', 'claim-c'),
    pv('pv-d', 'vol-d', 'claim-d'),
    pv('pv-e', 'vol-e', 'claim-e'),
  ],
  pvcs: [
    pvc('claim-a', 'pv-a', 'a'),
    pvc('claim-b', 'pv-b', 'b'),
    pvc('claim-c', 'pv-c', 'c'),
    pvc('claim-d', 'pv-d', 'd'),
    pvc('claim-e', 'pv-e', 'e'),
    pvc('hub-db-dir', 'pv-db', 'db'),
  ],
  certManagerObjects: [{ kind: 'Issuer', metadata: { name: 'letsencrypt' } }],
  helmRelease: null,
  values: null,
  volumes: [],
  floatingIps: [{ 'Floating IP Address': '203.0.113.5' }],
  quotas: {},
};

describe('the rehearsal report', () => {
  it("tells each user's claim kept, restored, reserved, left out, on another volume or new, and what the twin cannot model", () => {
    const now = {
      PersistentVolume: [
        pv('pv-a', 'vol-a', 'claim-a'),
        pv('pv-b', 'vol-b', 'claim-b'),
        pv('pv-c', 'vol-c', 'claim-c', 'Available'),
        pv('pv-x', 'vol-x', 'claim-e'),
        pv('pv-n', 'vol-n', 'claim-new'),
      ],
      PersistentVolumeClaim: [
        pvc('claim-a', 'pv-a', 'a'),
        pvc('claim-b', 'pv-b', 'b2'),
        pvc('claim-e', 'pv-x', 'e2'),
        pvc('claim-new', 'pv-n', 'n'),
        pvc('hub-db-dir', 'pv-db2', 'db2'),
      ],
    } as Record<string, KubeObject[]>;
    const report = twinReport(
      snapshot,
      { list: (kind) => now[kind] ?? [], volumes: memoryVolumeBackend() },
      '149.165.1.2',
    );
    expect(report[0]).toBe(
      'rehearsal against the snapshot of site hub (/snapshots/hub, taken 2026-12-01T00:00:00.000Z): 1 kept, 1 restored, 1 reserved, 1 left out, 1 ON ANOTHER VOLUME, 1 new',
    );
    const outcome = (claim: string) =>
      report
        .find((line) => line.trimStart().startsWith(`${claim} `))
        ?.trim()
        .split(/\s{2,}/)
        .at(-1);
    expect(['claim-a', 'claim-b', 'claim-c', 'claim-d', 'claim-e', 'claim-new'].map(outcome)).toEqual([
      'kept',
      'restored',
      'reserved',
      'left out',
      'ON ANOTHER VOLUME',
      'new',
    ]);
    expect(report.join('\n')).not.toMatch(/hub-db-dir/);
    expect(report).toContain('    claim-e    vol-e      cinder-csi  Bound → Bound on vol-x    ON ANOTHER VOLUME');
    const limits = report.slice(report.indexOf('  not rehearsed here:') + 1);
    expect(limits[0]).toMatch(/^ {4}storage class nfs: provisioner nfs\.csi\.k8s\.io is not one the sandbox knows/);
    expect(limits.join('\n')).toMatch(/volume pv-a: its Cinder volume vol-a was not in the project's volume list/);
    expect(limits.join('\n')).toMatch(/floating IP: the twin's is 149\.165\.1\.2, the site's 203\.0\.113\.5/);
    expect(limits.join('\n')).toMatch(
      /cert-manager: not copied, as their keys are not in the snapshot: the site's Issuer letsencrypt; enable-https\.yml makes the twin's/,
    );
  });
});
