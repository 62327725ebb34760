import { randomUUID } from 'node:crypto';

/** A Cinder volume of the simulated cloud; it outlives any cluster, as on OpenStack. */
export interface CloudVolume {
  id: string;
  name: string;
  sizeGi: number;
  status: 'available' | 'in-use';
  createdAt: string;
  /** Cinder's volume metadata (the client's "Properties"): the provisioner records the claim it made the volume for. */
  metadata?: Record<string, string>;
  /** The snapshot it was made from, where it was. */
  snapshotId?: string;
}

/** A Cinder snapshot: a copy of a volume's data at one moment, kept beside it until deleted. */
export interface CloudSnapshot {
  id: string;
  name: string;
  volumeId: string;
  sizeGi: number;
  status: 'available';
  createdAt: string;
  metadata: Record<string, string>;
}

/** Why a volume was not deleted: Cinder keeps a volume while a snapshot of it exists. */
export type VolumeDeletion = 'deleted' | 'missing' | 'has-snapshots';

export interface VolumeBackend {
  list(): CloudVolume[];
  get(id: string): CloudVolume | undefined;
  create(
    name: string,
    sizeGi: number,
    id?: string,
    metadata?: Record<string, string>,
    snapshotId?: string,
  ): CloudVolume;
  delete(id: string): VolumeDeletion;
  setStatus(id: string, status: CloudVolume['status']): void;
  /** Adds or changes keys of a volume's metadata, as `openstack volume set --property` does. */
  setMetadata(id: string, metadata: Record<string, string>): void;
  snapshots(): CloudSnapshot[];
  getSnapshot(id: string): CloudSnapshot | undefined;
  createSnapshot(volumeId: string, name: string, metadata?: Record<string, string>): CloudSnapshot;
  deleteSnapshot(id: string): void;
  onChange(listener: (volume: CloudVolume, deleted: boolean) => void): void;
  onSnapshotChange(listener: (snapshot: CloudSnapshot, deleted: boolean) => void): void;
}

/** Volumes and their snapshots kept in memory; the site persists them through `onChange` and `onSnapshotChange`. */
export function memoryVolumeBackend(
  initial: CloudVolume[] = [],
  initialSnapshots: CloudSnapshot[] = [],
): VolumeBackend {
  const volumes = new Map(initial.map((volume) => [volume.id, volume]));
  const snapshots = new Map(initialSnapshots.map((snapshot) => [snapshot.id, snapshot]));
  const listeners: ((volume: CloudVolume, deleted: boolean) => void)[] = [];
  const snapshotListeners: ((snapshot: CloudSnapshot, deleted: boolean) => void)[] = [];
  const notify = (volume: CloudVolume, deleted: boolean) => {
    for (const listener of listeners) listener(volume, deleted);
  };
  const notifySnapshot = (snapshot: CloudSnapshot, deleted: boolean) => {
    for (const listener of snapshotListeners) listener(snapshot, deleted);
  };
  return {
    list: () => [...volumes.values()].map((volume) => ({ ...volume })),
    get: (id) => {
      const volume = volumes.get(id);
      return volume ? { ...volume } : undefined;
    },
    create(name, sizeGi, id = randomUUID(), metadata, snapshotId) {
      const volume: CloudVolume = {
        id,
        name,
        sizeGi,
        status: 'available',
        createdAt: new Date().toISOString(),
        ...(metadata ? { metadata: { ...metadata } } : {}),
        ...(snapshotId ? { snapshotId } : {}),
      };
      volumes.set(id, volume);
      notify(volume, false);
      return { ...volume };
    },
    delete(id) {
      const volume = volumes.get(id);
      if (!volume) return 'missing';
      if ([...snapshots.values()].some((snapshot) => snapshot.volumeId === id)) return 'has-snapshots';
      volumes.delete(id);
      notify(volume, true);
      return 'deleted';
    },
    setStatus(id, status) {
      const volume = volumes.get(id);
      if (!volume || volume.status === status) return;
      volume.status = status;
      notify(volume, false);
    },
    setMetadata(id, metadata) {
      const volume = volumes.get(id);
      if (!volume) return;
      volume.metadata = { ...volume.metadata, ...metadata };
      notify(volume, false);
    },
    snapshots: () => [...snapshots.values()].map((snapshot) => ({ ...snapshot })),
    getSnapshot: (id) => {
      const snapshot = snapshots.get(id);
      return snapshot ? { ...snapshot } : undefined;
    },
    createSnapshot(volumeId, name, metadata = {}) {
      const volume = volumes.get(volumeId);
      if (!volume) throw new Error(`no volume ${volumeId}`);
      const snapshot: CloudSnapshot = {
        id: randomUUID(),
        name,
        volumeId,
        sizeGi: volume.sizeGi,
        status: 'available',
        createdAt: new Date().toISOString(),
        metadata: { ...metadata },
      };
      snapshots.set(snapshot.id, snapshot);
      notifySnapshot(snapshot, false);
      return { ...snapshot };
    },
    deleteSnapshot(id) {
      const snapshot = snapshots.get(id);
      if (!snapshot) return;
      snapshots.delete(id);
      notifySnapshot(snapshot, true);
    },
    onChange: (listener) => {
      listeners.push(listener);
    },
    onSnapshotChange: (listener) => {
      snapshotListeners.push(listener);
    },
  };
}

/** Parses "1Gi", "10G", "500Mi" into whole GiB, at least 1, as Cinder sizes volumes. */
export function gibibytes(quantity: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)([KMGT]i?)?$/.exec(String(quantity ?? '1Gi'));
  if (!match) return 1;
  const factor: Record<string, number> = {
    Ki: 1 / 1024 ** 2,
    Mi: 1 / 1024,
    Gi: 1,
    Ti: 1024,
    K: 1e3 / 1024 ** 3,
    M: 1e6 / 1024 ** 3,
    G: 1e9 / 1024 ** 3,
    T: 1e12 / 1024 ** 3,
  };
  return Math.max(1, Math.ceil(Number(match[1]) * (match[2] ? factor[match[2]]! : 1 / 1024 ** 3)));
}
