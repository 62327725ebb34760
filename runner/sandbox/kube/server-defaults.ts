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
      // helm 3's --wait treats a Service without a cluster IP as not ready; Kubespray's service range is 10.233.0.0/18.
      if (out.spec.type !== 'ExternalName' && out.spec.clusterIP === undefined) {
        out.spec.clusterIP = `10.233.${Math.floor(Math.random() * 63)}.${Math.floor(Math.random() * 253) + 1}`;
        out.spec.clusterIPs = [out.spec.clusterIP];
      }
      break;
    default:
      break;
  }
  return out;
}
