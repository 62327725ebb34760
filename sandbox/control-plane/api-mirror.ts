import type { VolumeBackend } from '../cloud/volume-backend.js';
import type { Controller, ControllerContext } from '../kube/controllers/controller-context.js';
import { crdResourceType, type CrdVersion } from '../kube/controllers/crd-registrar.js';
import { ObjectStore, type KubeObject, type StoreChange } from '../kube/object-store.js';
import type { ResourceType } from '../kube/resource-catalog.js';
import { collectionPath, objectPath, type KubeHttp } from './kube-http.js';

/** The kinds the cloud's controllers read: storage, Services, starting pods, cert-manager's kinds and the Secrets they issue. */
const mirroredKinds = ['Namespace', 'Node', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Service'];

export interface MirrorOptions {
  http: KubeHttp;
  types: ResourceType[];
  volumes: VolumeBackend;
  controllers: Controller[];
  loadBalancerAddress?: () => string | undefined;
  imageAvailable?: (image: string) => boolean;
}

const keyOf = (change: { resource: ResourceType; object: KubeObject }) =>
  `${change.resource.group}/${change.resource.plural}/${change.object.metadata.namespace ?? ''}/${change.object.metadata.name}`;

/** What the real API server sets on create: the mirror's own values would be refused or misleading. */
function forCreate(object: KubeObject): KubeObject {
  const {
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _created,
    generation: _gen,
    ...metadata
  } = object.metadata;
  return { ...object, metadata };
}

function without(object: KubeObject, field: string): string {
  const { [field]: _dropped, metadata, ...rest } = object;
  const { resourceVersion: _rv, generation: _gen, managedFields: _mf, ...meta } = metadata;
  return JSON.stringify({ ...rest, metadata: meta });
}

/**
 * Runs the simulator's cloud controllers (Cinder's provisioner, the service controller, cert-manager)
 * against a real API server: each pass lists what they read into a store of their own, runs them
 * once, and sends what they changed to the API server as creates, updates and deletes. A conflict
 * (someone changed the object meanwhile) is left for the next pass, as a controller's requeue.
 */
export async function mirrorPass(options: MirrorOptions): Promise<number> {
  const { http } = options;
  const types = [...options.types];
  const store = new ObjectStore();
  const listed = new Map<string, KubeObject>();
  const load = async (type: ResourceType, query = '') => {
    for (const object of await http.list(type, query)) {
      store.restore(type, object);
      listed.set(keyOf({ resource: type, object }), object);
    }
  };
  for (const kind of mirroredKinds)
    await load(types.find((type) => type.kind === kind && type.group !== 'events.k8s.io')!);
  // Only pods still starting: the kubelet's image pulls decide what happens to them.
  await load(
    types.find((type) => type.kind === 'Pod')!,
    'fieldSelector=status.phase%3DPending',
  );
  const crdType = types.find((type) => type.kind === 'CustomResourceDefinition')!;
  const crds = await http.list(crdType);
  // The storage version of each cert-manager kind, as the API server serves it.
  const certManagerKinds = crds
    .filter((crd) => String(crd.spec?.group).endsWith('cert-manager.io'))
    .map((crd) => {
      const versions = crd.spec.versions as CrdVersion[];
      const type = crdResourceType(crd, versions.find((version) => version.storage) ?? versions[0]!);
      types.push(type);
      return type;
    });
  let certificates = 0;
  for (const type of certManagerKinds.filter((type) =>
    ['Issuer', 'ClusterIssuer', 'Certificate'].includes(type.kind),
  )) {
    const before = listed.size;
    await load(type);
    certificates += listed.size - before;
  }
  // helm's release Secrets are large and no cloud controller reads them.
  if (certificates)
    await load(
      types.find((type) => type.kind === 'Secret')!,
      'fieldSelector=type!%3Dhelm.sh%2Frelease.v1',
    );

  const changes = new Map<string, StoreChange>();
  store.onChange((change) => {
    const key = keyOf(change);
    const first = changes.get(key);
    changes.set(key, { ...change, type: first?.type === 'ADDED' && change.type !== 'DELETED' ? 'ADDED' : change.type });
    if (first?.type === 'ADDED' && change.type === 'DELETED') changes.delete(key);
  });
  const ctx: ControllerContext = {
    store,
    types,
    volumes: options.volumes,
    ...(options.loadBalancerAddress ? { loadBalancerAddress: options.loadBalancerAddress } : {}),
    ...(options.imageAvailable ? { imageAvailable: options.imageAvailable } : {}),
  };
  for (const controller of options.controllers) controller(ctx);

  let sent = 0;
  for (const [key, change] of changes) {
    const { resource: type, object } = change;
    const namespace = object.metadata.namespace as string | undefined;
    const original = listed.get(key);
    if (change.type === 'ADDED' && !original) {
      const created = await http.request('POST', collectionPath(type, namespace), forCreate(object));
      if (created.status < 300 && object.status && type.subresources?.includes('status'))
        await http.request('PUT', `${objectPath(type, namespace, object.metadata.name)}/status`, {
          ...created.body,
          status: object.status,
        });
      sent += 1;
      continue;
    }
    if (!original) continue;
    const path = objectPath(type, namespace, object.metadata.name);
    if (change.type === 'DELETED' || (object.metadata.deletionTimestamp && !original.metadata.deletionTimestamp)) {
      await http.request('DELETE', path);
      sent += 1;
      continue;
    }
    let resourceVersion = original.metadata.resourceVersion;
    if (without(object, 'status') !== without(original, 'status')) {
      const updated = await http.request('PUT', path, {
        ...object,
        metadata: { ...object.metadata, resourceVersion },
      });
      if (updated.status >= 300) continue;
      resourceVersion = updated.body.metadata.resourceVersion;
      sent += 1;
    }
    if (type.subresources?.includes('status') && JSON.stringify(object.status) !== JSON.stringify(original.status)) {
      await http.request('PUT', `${path}/status`, { ...object, metadata: { ...object.metadata, resourceVersion } });
      sent += 1;
    }
  }
  return sent;
}
