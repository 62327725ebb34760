import { appendFileSync, readFileSync } from 'node:fs';
import { writeStateFile } from '../support/state-file.js';
import type { CloudSnapshot, CloudVolume, VolumeBackend } from '../cloud/volume-backend.js';
import type { KubeObject, ObjectStore } from '../kube/object-store.js';

type StoredObject = { group: string; plural: string; object: KubeObject };

export type JournalRecord =
  /** A new cluster, with every object it starts with (a compacted journal's snapshot follows it instead). */
  | { op: 'cluster'; id: string; objects?: StoredObject[] }
  | { op: 'put'; group: string; plural: string; object: KubeObject }
  | { op: 'del'; group: string; plural: string; namespace?: string; name: string }
  | { op: 'volume'; volume: CloudVolume }
  | { op: 'volume-del'; id: string }
  | { op: 'snapshot'; snapshot: CloudSnapshot }
  | { op: 'snapshot-del'; id: string };

export interface SavedSite {
  clusterId: string | undefined;
  objects: Map<string, { group: string; plural: string; object: KubeObject }>;
  volumes: Map<string, CloudVolume>;
  snapshots: Map<string, CloudSnapshot>;
}

const objectKey = (group: string, plural: string, namespace: string | undefined, name: string) =>
  `${group}/${plural}/${namespace ?? ''}/${name}`;

/**
 * The simulated site's durable memory: one JSON line per change, appended synchronously before the
 * API server answers, so a runner killed with SIGKILL loses nothing it was told had happened.
 */
export class SiteJournal {
  constructor(private readonly path: string) {}

  load(): SavedSite {
    const saved: SavedSite = { clusterId: undefined, objects: new Map(), volumes: new Map(), snapshots: new Map() };
    let text = '';
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return saved;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        continue; // A line cut short by a crash mid-write.
      }
      if (record.op === 'cluster') {
        saved.clusterId = record.id;
        saved.objects.clear();
        for (const entry of record.objects ?? [])
          saved.objects.set(
            objectKey(entry.group, entry.plural, entry.object.metadata.namespace, entry.object.metadata.name),
            entry,
          );
      } else if (record.op === 'put')
        saved.objects.set(
          objectKey(record.group, record.plural, record.object.metadata.namespace, record.object.metadata.name),
          record,
        );
      else if (record.op === 'del')
        saved.objects.delete(objectKey(record.group, record.plural, record.namespace, record.name));
      else if (record.op === 'volume') saved.volumes.set(record.volume.id, record.volume);
      else if (record.op === 'volume-del') saved.volumes.delete(record.id);
      else if (record.op === 'snapshot') saved.snapshots.set(record.snapshot.id, record.snapshot);
      else if (record.op === 'snapshot-del') saved.snapshots.delete(record.id);
    }
    return saved;
  }

  private paused = false;

  append(record: JournalRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }

  /** While a new cluster is seeded, its objects are not journaled one by one: `startCluster` writes them together. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** A new cluster and everything the store holds now, in one line: a kill cuts the line, and the load ignores it whole. */
  startCluster(id: string, store: ObjectStore): void {
    this.append({
      op: 'cluster',
      id,
      objects: store.entries().map(({ group, plural, object }) => ({ group, plural, object })),
    });
  }

  /** Rewrites the journal as one snapshot, so it does not grow without end. */
  async compact(clusterId: string | undefined, store: ObjectStore, volumes: VolumeBackend): Promise<void> {
    const lines: JournalRecord[] = [
      ...(clusterId ? [{ op: 'cluster' as const, id: clusterId }] : []),
      ...store.entries().map(({ group, plural, object }) => ({ op: 'put' as const, group, plural, object })),
      ...volumes.list().map((volume) => ({ op: 'volume' as const, volume })),
      ...volumes.snapshots().map((snapshot) => ({ op: 'snapshot' as const, snapshot })),
    ];
    await writeStateFile(this.path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  }

  /** Records every later change of the store and the volumes. */
  follow(store: ObjectStore, volumes: VolumeBackend): void {
    store.onChange((change) => {
      if (this.paused) return;
      const { group, plural } = change.resource;
      if (change.type === 'DELETED')
        this.append({
          op: 'del',
          group,
          plural,
          namespace: change.object.metadata.namespace,
          name: change.object.metadata.name,
        });
      else this.append({ op: 'put', group, plural, object: change.object });
    });
    volumes.onChange((volume, deleted) =>
      this.append(deleted ? { op: 'volume-del', id: volume.id } : { op: 'volume', volume }),
    );
    volumes.onSnapshotChange((snapshot, deleted) =>
      this.append(deleted ? { op: 'snapshot-del', id: snapshot.id } : { op: 'snapshot', snapshot }),
    );
  }
}
