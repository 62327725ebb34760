import type { KubeObject } from './object-store.js';
import { withServiceAllocations } from './service-allocations.js';
import { workloadDefaults } from './workload-defaults.js';

const workloads = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Workload defaults, which the server applies on every write, an update that leaves them out included. */
export function withWorkloadDefaults(object: KubeObject): KubeObject {
  if (!workloads.has(object.kind)) return object;
  const out = structuredClone(object);
  workloadDefaults(out.kind, out);
  return out;
}

/** As the StorageObjectInUseProtection admission plugin does, so a volume or claim in use outlives its delete. */
function withFinalizer(metadata: KubeObject['metadata'] | undefined, finalizer: string): KubeObject['metadata'] {
  const finalizers: string[] = metadata?.finalizers ?? [];
  return { ...metadata, finalizers: finalizers.includes(finalizer) ? finalizers : [...finalizers, finalizer] };
}

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
      out.metadata = withFinalizer(out.metadata, 'kubernetes.io/pv-protection');
      out.spec = { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', ...out.spec };
      out.status ??= { phase: 'Pending' };
      break;
    case 'PersistentVolumeClaim':
      out.metadata = withFinalizer(out.metadata, 'kubernetes.io/pvc-protection');
      out.spec = { volumeMode: 'Filesystem', ...out.spec };
      out.status ??= { phase: 'Pending' };
      break;
    case 'Service':
      // helm 3's --wait treats a Service without a cluster IP as not ready.
      return withServiceAllocations(out);
    default:
      return withWorkloadDefaults(out);
  }
  return out;
}
