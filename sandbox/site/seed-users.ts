import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { backupListPath, parseListFile } from '../support/kube-list-file.js';
import type { KubeApiServer } from '../kube/api-server.js';
import type { VolumeBackend } from '../cloud/volume-backend.js';
import type { KubeObject } from '../kube/object-store.js';
import { storageAnnotations as ann, volumeIdOf } from '../kube/controllers/storage-objects.js';
import { schedulableNodes } from '../kube/controllers/volume-scheduler.js';
import { admitCreate } from '../kube/admission.js';
import { csiVolumeMetadata, inTreeVolumeMetadata } from '../cloud/volume-metadata.js';
import { singleuserImage } from './site-images.js';

function typeOf(server: KubeApiServer, kind: string) {
  return server.types.find((type) => type.kind === kind)!;
}

export function ensureNamespace(server: KubeApiServer, name: string): void {
  const type = typeOf(server, 'Namespace');
  if (!server.store.find(type, undefined, name))
    server.store.create(type, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export function userClaim(
  namespace: string,
  user: string,
  capacity: string,
  extra: { storageClassName?: string; annotations?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: `claim-${user}`,
      namespace,
      annotations: { 'hub.jupyter.org/username': user, ...extra.annotations },
      labels: {
        app: 'jupyterhub',
        component: 'singleuser-storage',
        heritage: 'jupyterhub',
        release: 'jhub',
        chart: 'jupyterhub-4.2.0',
      },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: capacity } },
      ...(extra.storageClassName !== undefined ? { storageClassName: extra.storageClassName } : {}),
    },
  };
}

/** A volume the in-tree Cinder provisioner made before CSI: class `standard`, `spec.cinder`, named after its claim's uid. */
export function inTreeVolume(volumes: VolumeBackend, claim: KubeObject, capacity: string): KubeObject {
  const size = Number.parseInt(capacity, 10) || 1;
  const name = `pvc-${claim.metadata.uid}`;
  const volume = volumes.create(
    `kubernetes-dynamic-${name}`,
    size,
    undefined,
    inTreeVolumeMetadata({ claim: String(claim.metadata.name), namespace: String(claim.metadata.namespace), pv: name }),
  );
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: {
        'kubernetes.io/createdby': 'cinder-dynamic-provisioner',
        [ann.provisionedBy]: 'kubernetes.io/cinder',
      },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: capacity },
      cinder: { volumeID: volume.id },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: claim.metadata.name,
        namespace: claim.metadata.namespace,
        resourceVersion: claim.metadata.resourceVersion,
        uid: claim.metadata.uid,
      },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
    },
  };
}

export interface SeedUsersOptions {
  /** How many of the users (the first ones) have a volume from before CSI. */
  inTree: number;
  capacity?: string;
}

/**
 * JupyterHub users who have logged in once: KubeSpawner's `claim-<user>` claims, each with its
 * Cinder volume. The oldest users' volumes come from the in-tree provisioner (class `standard`), the
 * others were provisioned by Cinder CSI when their first server was scheduled (the default class).
 */
export function seedUsers(
  server: KubeApiServer,
  namespace: string,
  users: string[],
  options: SeedUsersOptions = { inTree: 0 },
): void {
  const capacity = options.capacity ?? '10Gi';
  ensureNamespace(server, namespace);
  const claimType = typeOf(server, 'PersistentVolumeClaim');
  const volumeType = typeOf(server, 'PersistentVolume');
  const nodes = schedulableNodes({ store: server.store, types: server.types, volumes: server.volumes });
  users.forEach((user, index) => {
    if (server.store.find(claimType, namespace, `claim-${user}`)) return;
    if (index < options.inTree) {
      const claim = server.store.create(
        claimType,
        namespace,
        userClaim(namespace, user, capacity, { storageClassName: 'standard' }),
      );
      server.store.create(volumeType, undefined, inTreeVolume(server.volumes, claim, capacity));
      return;
    }
    const node = nodes[index % Math.max(nodes.length, 1)]?.metadata.name;
    const claim = userClaim(namespace, user, capacity, node ? { annotations: { [ann.selectedNode]: node } } : {});
    server.store.create(claimType, namespace, admitCreate(server.store, server.types, claimType, claim));
  });
  server.settle();
}

/** A user's running server, as KubeSpawner starts it: a `jupyter-<user>` pod mounting the user's claim. */
export function serverPod(namespace: string, user: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `jupyter-${user}`,
      namespace,
      annotations: { 'hub.jupyter.org/username': user },
      labels: {
        app: 'jupyterhub',
        component: 'singleuser-server',
        heritage: 'jupyterhub',
        release: 'jhub',
        'hub.jupyter.org/username': user,
      },
    },
    spec: {
      containers: [
        { name: 'notebook', image: singleuserImage, volumeMounts: [{ name: 'home', mountPath: '/home/jovyan' }] },
      ],
      volumes: [{ name: 'home', persistentVolumeClaim: { claimName: `claim-${user}` } }],
    },
  };
}

/** Users whose servers are running: each user's `jupyter-<user>` pod. */
export function seedServers(server: KubeApiServer, namespace: string, users: string[]): void {
  const type = typeOf(server, 'Pod');
  for (const user of users) {
    if (server.store.find(type, namespace, `jupyter-${user}`)) continue;
    server.store.create(type, namespace, serverPod(namespace, user));
  }
  server.settle();
}

/**
 * Users an admin deleted while their volumes were set to Retain: the claim is gone and the PV stays
 * Released, its claimRef still naming the old claim and uid. Their files are on it.
 */
export function seedDeletedUsers(server: KubeApiServer, namespace: string, users: string[]): void {
  const claimType = typeOf(server, 'PersistentVolumeClaim');
  const volumeType = typeOf(server, 'PersistentVolume');
  seedUsers(server, namespace, users, { inTree: 0 });
  for (const user of users) {
    const claim = server.store.find(claimType, namespace, `claim-${user}`);
    const pv = claim?.spec.volumeName ? server.store.find(volumeType, undefined, claim.spec.volumeName) : undefined;
    if (!claim || !pv) continue;
    server.store.update(volumeType, undefined, {
      ...pv,
      spec: { ...pv.spec, persistentVolumeReclaimPolicy: 'Retain' },
    });
    server.store.delete(claimType, namespace, claim.metadata.name);
  }
  server.settle();
}

async function listItems(path: string): Promise<KubeObject[]> {
  const document = parseListFile(await readFile(path, 'utf8')) as { items?: KubeObject[] } | null;
  return document?.items ?? [];
}

/** A claim of another namespace that the backup does not hold, recreated as it must be for its volume to stay Bound. */
function standInClaim(pv: KubeObject): KubeObject {
  const ref = pv.spec.claimRef;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      uid: ref.uid,
      resourceVersion: ref.resourceVersion ?? '1',
      creationTimestamp: pv.metadata.creationTimestamp,
      annotations: { [ann.bindCompleted]: 'yes' },
      finalizers: ['kubernetes.io/pvc-protection'],
    },
    spec: {
      accessModes: pv.spec.accessModes,
      resources: { requests: { storage: pv.spec.capacity?.storage } },
      storageClassName: pv.spec.storageClassName ?? '',
      volumeMode: pv.spec.volumeMode ?? 'Filesystem',
      volumeName: pv.metadata.name,
    },
    status: { phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity },
  };
}

/**
 * A real site's backup (the seed's `kubectl get pv/pvc -o yaml`, or the runner's JSON), recreated as it
 * was: same volumes, uids and bindings.
 */
export async function seedFromBackup(
  server: KubeApiServer,
  backupDir: string,
): Promise<{ volumes: number; claims: number; standIns: number }> {
  const pvs = await listItems(backupListPath(backupDir, 'pv'));
  const pvcs = await listItems(backupListPath(backupDir, 'pvc'));
  return seedVolumesAndClaims(server, pvs, pvcs);
}

/**
 * Volumes and claims as a site had them, with their uids and bindings, each volume's Cinder volume made
 * under its ID unless the cloud has it already. A volume Bound to a claim the lists do not hold
 * (another namespace's, as `kubectl get pv` is cluster-wide) keeps that claim, so it is not reclaimed.
 */
export function seedVolumesAndClaims(
  server: KubeApiServer,
  pvs: KubeObject[],
  pvcs: KubeObject[],
): { volumes: number; claims: number; standIns: number } {
  const held = new Set(pvcs.map((pvc) => `${pvc.metadata.namespace}/${pvc.metadata.name}`));
  const standIns = pvs
    .filter(
      (pv) =>
        pv.status?.phase === 'Bound' &&
        pv.spec?.claimRef?.uid &&
        !held.has(`${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}`),
    )
    .map(standInClaim);
  for (const claim of [...pvcs, ...standIns]) ensureNamespace(server, claim.metadata.namespace);
  for (const pv of pvs) {
    const id = volumeIdOf(pv);
    if (id && !server.volumes.get(id)) {
      const ref = pv.spec?.claimRef;
      const metadata = ref?.name
        ? (pv.spec?.csi ? csiVolumeMetadata : inTreeVolumeMetadata)({
            claim: ref.name,
            namespace: ref.namespace,
            pv: pv.metadata.name,
          })
        : undefined;
      server.volumes.create(
        pv.spec?.csi ? pv.metadata.name : `kubernetes-dynamic-${pv.metadata.name}`,
        Number.parseInt(String(pv.spec?.capacity?.storage ?? '1'), 10) || 1,
        id,
        metadata,
      );
    }
    server.store.restore(typeOf(server, 'PersistentVolume'), pv);
  }
  for (const pvc of [...pvcs, ...standIns])
    server.store.restore(
      typeOf(server, 'PersistentVolumeClaim'),
      pvc.metadata.uid ? pvc : { ...pvc, metadata: { ...pvc.metadata, uid: randomUUID() } },
    );
  server.settle();
  return { volumes: pvs.length, claims: pvcs.length, standIns: standIns.length };
}
