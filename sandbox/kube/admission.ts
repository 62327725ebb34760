import { isDeepStrictEqual } from 'node:util';
import { StoreError, type KubeObject, type ObjectStore } from './object-store.js';
import type { ResourceType } from './resource-catalog.js';
import { withServerDefaults } from './server-defaults.js';

const defaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
const volumeSources = [
  'csi',
  'cinder',
  'hostPath',
  'nfs',
  'local',
  'iscsi',
  'rbd',
  'cephfs',
  'awsElasticBlockStore',
  'gcePersistentDisk',
  'azureDisk',
  'azureFile',
  'fc',
  'flexVolume',
  'glusterfs',
  'portworxVolume',
  'quobyte',
  'scaleIO',
  'storageos',
  'vsphereVolume',
  'photonPersistentDisk',
];

/** The DefaultStorageClass admission plugin: a claim created without a class gets the default one (the newest, if several). */
export function admitCreate(
  store: ObjectStore,
  types: readonly ResourceType[],
  resource: ResourceType,
  object: KubeObject,
): KubeObject {
  if (resource.kind !== 'PersistentVolumeClaim' || object.spec?.storageClassName !== undefined) return object;
  const classType = types.find((type) => type.kind === 'StorageClass');
  if (!classType) return object;
  const defaults = store
    .list(classType)
    .filter((item) => item.metadata.annotations?.[defaultClassAnnotation] === 'true')
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
  if (defaults.length === 0) return object;
  return { ...object, spec: { ...object.spec, storageClassName: defaults[0]!.metadata.name } };
}

function invalid(kind: string, name: string, field: string, detail: string, diff: string): StoreError {
  const message = `Forbidden: ${detail}\n${diff}`;
  return new StoreError(422, 'Invalid', `${kind} "${name}" is invalid: ${field}: ${message}`, {
    name,
    group: '',
    kind,
    causes: [{ reason: 'FieldValueForbidden', message, field }],
  });
}

/** The fields that differ, one `- old` / `+ new` pair each, as the API server's diff shows them. */
function fieldDiff(before: Record<string, unknown>, after: Record<string, unknown>, type: string): string {
  const lines = [`  ${type}{`];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (isDeepStrictEqual(before[key], after[key])) continue;
    // Go's field names, as cmp.Diff prints the API server's internal structs.
    const field = key.charAt(0).toUpperCase() + key.slice(1);
    if (before[key] !== undefined) lines.push(`- \t${field}: ${JSON.stringify(before[key])},`);
    if (after[key] !== undefined) lines.push(`+ \t${field}: ${JSON.stringify(after[key])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

/** ValidatePersistentVolumeClaimUpdate: volumeName may be set once, a nil class filled in, a bound claim's request grown; nothing else. */
function checkClaimUpdate(current: KubeObject, next: KubeObject): void {
  const before = structuredClone(current.spec ?? {});
  const after = structuredClone(withServerDefaults({ ...next, kind: 'PersistentVolumeClaim' }).spec ?? {});
  if (!before.volumeName) before.volumeName = after.volumeName;
  if (before.storageClassName === undefined && after.storageClassName !== undefined)
    before.storageClassName = after.storageClassName;
  delete before.volumeAttributesClassName;
  delete after.volumeAttributesClassName;
  const bound = current.status?.phase === 'Bound';
  if (bound && after.resources?.requests?.storage !== undefined) {
    after.resources = {
      ...after.resources,
      requests: { ...after.resources.requests, storage: before.resources?.requests?.storage },
    };
  }
  for (const spec of [before, after])
    for (const key of Object.keys(spec)) if (spec[key] === undefined) delete spec[key];
  if (!isDeepStrictEqual(before, after)) {
    throw invalid(
      'PersistentVolumeClaim',
      current.metadata.name,
      'spec',
      'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      fieldDiff(before, after, 'core.PersistentVolumeClaimSpec'),
    );
  }
}

/** A PV's volume source (which Cinder volume it is) cannot change after creation. */
function checkVolumeUpdate(current: KubeObject, next: KubeObject): void {
  const source = (object: KubeObject) =>
    Object.fromEntries(
      volumeSources.filter((key) => object.spec?.[key] !== undefined).map((key) => [key, object.spec[key]]),
    );
  const before = source(current);
  const after = source(next);
  if (!isDeepStrictEqual(before, after)) {
    throw invalid(
      'PersistentVolume',
      current.metadata.name,
      'spec.persistentvolumesource',
      'spec.persistentvolumesource is immutable after creation',
      fieldDiff(before, after, 'core.PersistentVolumeSource'),
    );
  }
}

/** Update validation the real API server does for the kinds a restore writes; the status subresource is not checked. */
export function validateUpdate(resource: ResourceType, current: KubeObject, next: KubeObject): void {
  if (resource.kind === 'PersistentVolumeClaim') checkClaimUpdate(current, next);
  if (resource.kind === 'PersistentVolume') checkVolumeUpdate(current, next);
}
