import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SiteJournal } from '../../../sandbox/site/site-journal.js';
import { ObjectStore } from '../../../sandbox/kube/object-store.js';
import { builtinResourceTypes } from '../../../sandbox/kube/resource-catalog.js';
import { memoryVolumeBackend } from '../../../sandbox/cloud/volume-backend.js';
import { tempDir } from '../../helpers/temp-dir.js';

const crdType = builtinResourceTypes.find((type) => type.kind === 'CustomResourceDefinition')!;
const namespaceType = builtinResourceTypes.find((type) => type.kind === 'Namespace')!;
const crd = (name: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name },
  spec: {},
});

async function journalled() {
  const path = `${await tempDir()}/cluster.jsonl`;
  const journal = new SiteJournal(path);
  const store = new ObjectStore();
  journal.follow(store, memoryVolumeBackend());
  return { path, journal, store };
}

describe('the site journal', () => {
  it('keeps snapshots, and forgets a deleted one, across a load and a compaction', async () => {
    const path = `${await tempDir()}/cluster.jsonl`;
    const journal = new SiteJournal(path);
    const volumes = memoryVolumeBackend();
    const store = new ObjectStore();
    journal.follow(store, volumes);
    const volume = volumes.create('pvc-a', 10);
    const kept = volumes.createSnapshot(volume.id, 'kept', { 'jhub-runner.run': 'r1' });
    volumes.deleteSnapshot(volumes.createSnapshot(volume.id, 'gone').id);
    const saved = new SiteJournal(path).load();
    expect([...saved.snapshots.values()]).toEqual([kept]);
    await journal.compact(
      undefined,
      store,
      memoryVolumeBackend([...saved.volumes.values()], [...saved.snapshots.values()]),
    );
    expect([...new SiteJournal(path).load().snapshots.values()]).toEqual([kept]);
  });

  it('writes a new cluster and everything it is seeded with as one line', async () => {
    const { path, journal, store } = await journalled();
    store.create(namespaceType, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old' } });
    const before = readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
    journal.pause();
    store.clear();
    store.create(crdType, undefined, crd('issuers.cert-manager.io'));
    store.create(crdType, undefined, crd('certificates.cert-manager.io'));
    journal.resume();
    journal.startCluster('cluster-b', store);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(before + 1);
    const saved = new SiteJournal(path).load();
    expect(saved.clusterId).toBe('cluster-b');
    expect([...saved.objects.values()].map((entry) => entry.object.metadata.name).sort()).toEqual([
      'certificates.cert-manager.io',
      'issuers.cert-manager.io',
    ]);
  });

  it("keeps the previous cluster whole when a kill cuts the new cluster's line", async () => {
    const { path, journal, store } = await journalled();
    journal.startCluster('cluster-a', store);
    store.create(namespaceType, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jhub' } });
    journal.pause();
    store.clear();
    store.create(crdType, undefined, crd('issuers.cert-manager.io'));
    journal.resume();
    journal.startCluster('cluster-b', store);
    const text = readFileSync(path, 'utf8');
    // SIGKILL in the middle of writing cluster-b's line.
    writeFileSync(path, text.slice(0, text.lastIndexOf('"cluster-b"') + 20));
    const saved = new SiteJournal(path).load();
    expect(saved.clusterId).toBe('cluster-a');
    expect([...saved.objects.values()].map((entry) => entry.object.metadata.name)).toEqual(['jhub']);
  });
});
