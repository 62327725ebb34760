import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../helpers/kube-sandbox.js';

const lease = (holder: string, resourceVersion?: string) =>
  JSON.stringify({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'site-lock', namespace: 'jhub', ...(resourceVersion ? { resourceVersion } : {}) },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: 60,
      acquireTime: '2026-12-08T04:50:00.000000Z',
      renewTime: '2026-12-08T04:50:10.123456Z',
    },
  });

describe.each(['v33', 'v30'] as const)(
  'Leases on the simulated API server, with the real kubectl of %s',
  (toolchain) => {
    it('are stored as the API server stores them: kubectl lists their holder, and a write from a stale read is a conflict', async () => {
      const sandbox = await kubeSandbox(toolchain, {});
      await sandbox.kubectl(['create', 'namespace', 'jhub']);
      expect((await sandbox.kubectl(['create', '-f', '-'], lease('ada@laptop run-1'))).exitCode).toBe(0);
      const read = JSON.parse(
        (await sandbox.kubectl(['get', 'lease', 'site-lock', '-n', 'jhub', '-o', 'json'])).stdout,
      );
      expect(read.spec.renewTime).toBe('2026-12-08T04:50:10.123456Z');

      // Two writers that read the same version: the first wins, the second is refused.
      const first = await sandbox.kubectl(
        ['replace', '-f', '-'],
        lease('bob@desk run-2', read.metadata.resourceVersion),
      );
      expect(first.exitCode, first.stderr).toBe(0);
      const second = await sandbox.kubectl(
        ['replace', '-f', '-'],
        lease('cy@home run-3', read.metadata.resourceVersion),
      );
      expect(second.exitCode).toBe(1);
      expect(second.stderr).toContain(
        'Operation cannot be fulfilled on leases.coordination.k8s.io "site-lock": the object has been modified; please apply your changes to the latest version and try again',
      );

      const table = (await sandbox.kubectl(['get', 'leases', '-n', 'jhub'])).stdout;
      expect(table).toMatch(/^NAME\s+HOLDER\s+AGE\nsite-lock\s+bob@desk run-2\s+\S+$/);
      const unknown = await sandbox.kubectl(['create', '-f', '-'], lease('x').replace('"holderIdentity"', '"holder"'));
      expect(unknown.stderr).toContain('unknown field "spec.holder"');
    });
  },
);
