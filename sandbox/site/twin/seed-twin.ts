import type { KubeApiServer } from '../../kube/api-server.js';
import type { KubeObject } from '../../kube/object-store.js';
import { volumeIdOf } from '../../kube/controllers/storage-objects.js';
import { seedServers, seedVolumesAndClaims } from '../seed-users.js';
import type { SiteSnapshot } from './read-snapshot.js';

const isControlPlane = (node: KubeObject) =>
  'node-role.kubernetes.io/control-plane' in (node.metadata.labels ?? {}) ||
  'node-role.kubernetes.io/master' in (node.metadata.labels ?? {});

/** The twin's cloud: the snapshot's node names (the control plane first, as the install record lists them), and the terraform variables that give it as many workers and the site's floating IP. */
export function twinCloud(snapshot: SiteSnapshot): {
  names: string[];
  workers: number;
  terraformVars: Record<string, string>;
} {
  const planes = snapshot.nodes.filter(isControlPlane);
  const workers = snapshot.nodes.filter((node) => !isControlPlane(node));
  const ips = snapshot.floatingIps;
  const address = (ips.find((ip) => ip['Fixed IP Address']) ?? ips[0])?.['Floating IP Address'];
  return {
    names: [...planes, ...workers].map((node) => node.metadata.name),
    workers: workers.length,
    terraformVars: {
      TF_VAR_worker_count: String(workers.length),
      ...(address ? { TF_VAR_floating_ip_address: address } : {}),
    },
  };
}

const typeOf = (server: KubeApiServer, kind: string) => server.types.find((type) => type.kind === kind)!;

/** The server's own bookkeeping, which the twin's store gives afresh. */
function asNew(object: KubeObject): KubeObject {
  const { uid: _uid, resourceVersion: _version, managedFields: _fields, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** Each node's labels, taints and capacity as the site has them, on the node the install record made. */
function copyNodes(server: KubeApiServer, snapshot: SiteSnapshot): void {
  const type = typeOf(server, 'Node');
  for (const node of snapshot.nodes) {
    const made = server.store.find(type, undefined, node.metadata.name);
    if (!made) continue;
    const { taints: _taints, ...spec } = made.spec ?? {};
    server.store.update(type, undefined, {
      ...made,
      metadata: { ...made.metadata, labels: { ...made.metadata.labels, ...node.metadata.labels } },
      spec: { ...spec, ...(node.spec?.taints ? { taints: node.spec.taints } : {}) },
      status: {
        ...made.status,
        ...(node.status?.capacity ? { capacity: node.status.capacity } : {}),
        ...(node.status?.allocatable ? { allocatable: node.status.allocatable } : {}),
      },
    });
  }
}

/** The site's classes in place of the fresh cluster's (the report says which it cannot provision for). */
function copyClasses(server: KubeApiServer, snapshot: SiteSnapshot): void {
  const type = typeOf(server, 'StorageClass');
  for (const made of server.store.list(type))
    if (!snapshot.storageClasses.some((each) => each.metadata.name === made.metadata.name))
      server.store.delete(type, undefined, made.metadata.name);
  for (const storageClass of snapshot.storageClasses) {
    const made = server.store.find(type, undefined, storageClass.metadata.name);
    if (made)
      server.store.update(type, undefined, {
        ...asNew(storageClass),
        metadata: { ...made.metadata, ...asNew(storageClass).metadata },
      });
    else server.store.create(type, undefined, asNew(storageClass));
  }
}

/**
 * The site's cluster as the snapshot describes it, one line each for the run's output, on the nodes the install record named after it:
 * labels and taints, classes, every Cinder volume under its ID, the volumes and claims with their
 * bindings (Released ones too), and a running server for each user whose volume was attached.
 */
export function seedTwin(server: KubeApiServer, snapshot: SiteSnapshot): string[] {
  copyNodes(server, snapshot);
  copyClasses(server, snapshot);
  for (const volume of snapshot.volumes)
    if (!server.volumes.get(volume.ID))
      server.volumes.create(volume.Name ?? '', Number(volume.Size) || 1, volume.ID, volume.Properties ?? undefined);
  const seeded = seedVolumesAndClaims(server, snapshot.pvs, snapshot.pvcs);
  const attached = new Set(snapshot.volumes.filter((volume) => volume.Status === 'in-use').map((volume) => volume.ID));
  const volumeOf = new Map(snapshot.pvs.map((pv) => [pv.metadata.name, volumeIdOf(pv)]));
  const users = snapshot.pvcs
    .filter((pvc) => pvc.metadata.annotations?.['hub.jupyter.org/username'])
    .filter((pvc) => attached.has(volumeOf.get(pvc.spec?.volumeName) ?? ''))
    .map((pvc) => String(pvc.metadata.name).replace(/^claim-/, ''));
  if (users.length) seedServers(server, snapshot.namespace, users);
  const released = snapshot.pvs.filter((pv) => pv.status?.phase === 'Released').length;
  return [
    `nodes: ${snapshot.nodes.map((node) => node.metadata.name).join(', ')}, with their labels and taints`,
    `classes: ${snapshot.storageClasses.map((each) => each.metadata.name).join(', ') || 'none'}`,
    `volumes: ${seeded.volumes} PV(s) (${released} Released) and ${seeded.claims} claim(s) of ${snapshot.namespace} with their bindings, ${snapshot.volumes.length} Cinder volume(s) under their IDs${seeded.standIns ? `, ${seeded.standIns} claim(s) of other namespaces their volumes are bound to` : ''}${users.length ? `, ${users.length} running server(s)` : ''}`,
  ];
}
