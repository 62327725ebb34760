import type { KubeObject } from './object-store.js';

/** Fields the real API server fills in on create, which kubectl and helm then read back. */
export function withServerDefaults(object: KubeObject): KubeObject {
  const out = structuredClone(object);
  switch (out.kind) {
    case 'Secret':
      out.type ??= 'Opaque';
      break;
    case 'Namespace':
      out.spec = { finalizers: ['kubernetes'], ...out.spec };
      out.status = { phase: 'Active', ...out.status };
      break;
    case 'PersistentVolume':
      out.spec = { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', ...out.spec };
      out.status ??= { phase: 'Pending' };
      break;
    case 'PersistentVolumeClaim':
      out.spec = { volumeMode: 'Filesystem', ...out.spec };
      out.status ??= { phase: 'Pending' };
      break;
    case 'Service':
      out.spec = { type: 'ClusterIP', sessionAffinity: 'None', ...out.spec };
      break;
    default:
      break;
  }
  return out;
}
