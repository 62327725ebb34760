import { randomUUID } from 'node:crypto';
import type { VolumeBackend } from '../cloud/volume-backend.js';
import { csiVolumeMetadata } from '../cloud/volume-metadata.js';
import { storageAnnotations as ann } from '../kube/controllers/storage-objects.js';
import type { KubeObject } from '../kube/object-store.js';
import type { ResourceType } from '../kube/resource-catalog.js';
import type { SeedConfig } from '../site/sandbox-config.js';
import { seedWith } from '../site/seed-site.js';
import { inTreeVolume, serverPod, userClaim } from '../site/seed-users.js';
import { collectionPath, objectPath, type KubeHttp } from './kube-http.js';
import { pollUntil } from '../support/poll-until.js';
import { ensureObject } from './real-cluster-seed.js';

interface Seeding {
  http: KubeHttp;
  types: ResourceType[];
  volumes: VolumeBackend;
  /** Worker nodes, where user servers are scheduled. */
  workers: string[];
}

const typeOf = (seeding: Seeding, kind: string) => seeding.types.find((type) => type.kind === kind)!;

async function create(seeding: Seeding, kind: string, object: KubeObject): Promise<KubeObject> {
  return seeding.http.must('POST', collectionPath(typeOf(seeding, kind), object.metadata.namespace), object);
}

/** Whether the object exists: a seeding a kill cut short is run again, and makes only what is not there yet. */
async function exists(seeding: Seeding, kind: string, namespace: string | undefined, name: string): Promise<boolean> {
  return (await seeding.http.request('GET', objectPath(typeOf(seeding, kind), namespace, name))).status === 200;
}

/** A Cinder CSI volume whose claim an admin deleted while it was Retain: the real PV controller marks it Released. */
function releasedVolume(seeding: Seeding, namespace: string, user: string): KubeObject {
  const uid = randomUUID();
  const name = `pvc-${uid}`;
  const claim = `claim-${user}`;
  const volume = seeding.volumes.create(name, 10, undefined, csiVolumeMetadata({ claim, namespace, pv: name }));
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [ann.provisionedBy]: 'cinder.csi.openstack.org' } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Gi' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim, namespace, uid },
      csi: { driver: 'cinder.csi.openstack.org', fsType: 'ext4', volumeHandle: volume.id },
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'cinder-csi',
      volumeMode: 'Filesystem',
    },
  };
}

async function seedRealUsers(seeding: Seeding, namespace: string, users: string[], inTree: number): Promise<void> {
  await ensureObject(seeding.http, typeOf(seeding, 'Namespace'), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  const volumes = await seeding.http.list(typeOf(seeding, 'PersistentVolume'));
  for (const [index, user] of users.entries()) {
    const name = `claim-${user}`;
    if (index < inTree) {
      // The in-tree volume is bound by the claim's uid: a claim a cut-short seeding left gets its volume now.
      const path = objectPath(typeOf(seeding, 'PersistentVolumeClaim'), namespace, name);
      const found = await seeding.http.request('GET', path);
      const claim =
        found.status === 200
          ? (found.body as KubeObject)
          : await create(
              seeding,
              'PersistentVolumeClaim',
              userClaim(namespace, user, '10Gi', { storageClassName: 'standard' }),
            );
      if (!volumes.some((pv) => pv.spec?.claimRef?.uid === claim.metadata.uid))
        await create(seeding, 'PersistentVolume', inTreeVolume(seeding.volumes, claim, '10Gi'));
      continue;
    }
    if (await exists(seeding, 'PersistentVolumeClaim', namespace, name)) continue;
    // The node the user's first server ran on, which Cinder CSI's provisioner waited for.
    const node = seeding.workers[index % Math.max(seeding.workers.length, 1)];
    await create(
      seeding,
      'PersistentVolumeClaim',
      userClaim(namespace, user, '10Gi', node ? { annotations: { [ann.selectedNode]: node } } : {}),
    );
  }
}

/** The service account controller gives a new namespace its `default` account; pods are refused until then. */
function untilServiceAccount(seeding: Seeding, namespace: string): Promise<void> {
  const path = `${collectionPath(typeOf(seeding, 'ServiceAccount'), namespace)}/default`;
  return pollUntil(
    async () => (await seeding.http.request('GET', path)).status === 200,
    () => `seeding the sandbox: namespace ${namespace} never got its default service account`,
    30_000,
  );
}

/** Until every claim of the namespaces is Bound: the seeding is done when the site looks as the settings say. */
function untilBound(seeding: Seeding, namespaces: string[]): Promise<void> {
  let pending: string[] = [];
  return pollUntil(
    async () => {
      pending = (await seeding.http.list(typeOf(seeding, 'PersistentVolumeClaim')))
        .filter((claim) => namespaces.includes(claim.metadata.namespace) && claim.status?.phase !== 'Bound')
        .map((claim) => claim.metadata.name);
      return pending.length === 0;
    },
    () => `seeding the sandbox: claims never bound: ${pending.join(', ')}`,
    60_000,
  );
}

/** The seed settings, made through the real API server; done when every seeded claim is Bound. */
export async function seedRealSite(seeding: Seeding, seed: SeedConfig): Promise<string[]> {
  const namespaces: string[] = [];
  const lines = await seedWith(seed, {
    users: async (namespace, users, inTree) => {
      await seedRealUsers(seeding, namespace, users, inTree);
      namespaces.push(namespace);
    },
    servers: async (namespace, users) => {
      await untilServiceAccount(seeding, namespace);
      for (const user of users)
        if (!(await exists(seeding, 'Pod', namespace, `jupyter-${user}`)))
          await create(seeding, 'Pod', serverPod(namespace, user));
    },
    deletedUsers: async (namespace, users) => {
      const volumes = await seeding.http.list(typeOf(seeding, 'PersistentVolume'));
      for (const user of users)
        if (
          !volumes.some((pv) => pv.spec?.claimRef?.name === `claim-${user}` && pv.spec.claimRef.namespace === namespace)
        )
          await create(seeding, 'PersistentVolume', releasedVolume(seeding, namespace, user));
    },
  });
  await untilBound(seeding, namespaces);
  return lines;
}
