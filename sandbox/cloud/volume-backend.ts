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
}

export interface VolumeBackend {
  list(): CloudVolume[];
  get(id: string): CloudVolume | undefined;
  create(name: string, sizeGi: number, id?: string, metadata?: Record<string, string>): CloudVolume;
  delete(id: string): void;
  setStatus(id: string, status: CloudVolume['status']): void;
  onChange(listener: (volume: CloudVolume, deleted: boolean) => void): void;
}

/** Volumes kept in memory; the site persists them through `onChange`. */
export function memoryVolumeBackend(initial: CloudVolume[] = []): VolumeBackend {
  const volumes = new Map(initial.map((volume) => [volume.id, volume]));
  const listeners: ((volume: CloudVolume, deleted: boolean) => void)[] = [];
  const notify = (volume: CloudVolume, deleted: boolean) => {
    for (const listener of listeners) listener(volume, deleted);
  };
  return {
    list: () => [...volumes.values()].map((volume) => ({ ...volume })),
    get: (id) => {
      const volume = volumes.get(id);
      return volume ? { ...volume } : undefined;
    },
    create(name, sizeGi, id = randomUUID(), metadata) {
      const volume: CloudVolume = {
        id,
        name,
        sizeGi,
        status: 'available',
        createdAt: new Date().toISOString(),
        ...(metadata ? { metadata: { ...metadata } } : {}),
      };
      volumes.set(id, volume);
      notify(volume, false);
      return { ...volume };
    },
    delete(id) {
      const volume = volumes.get(id);
      if (!volume) return;
      volumes.delete(id);
      notify(volume, true);
    },
    setStatus(id, status) {
      const volume = volumes.get(id);
      if (!volume || volume.status === status) return;
      volume.status = status;
      notify(volume, false);
    },
    onChange: (listener) => {
      listeners.push(listener);
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
