import type { Destruction } from '../../plugin-contract/contract.js';
import { storageKindOf } from './storage-kinds.js';

/** The finalizers that keep a volume and its claim from going while in use: removing one lets them go. */
const protections: Record<string, string> = {
  PersistentVolume: 'kubernetes.io/pv-protection',
  PersistentVolumeClaim: 'kubernetes.io/pvc-protection',
};

/**
 * What a patch could make deletable, from its arguments alone (for the up-front confirmation): a
 * reclaim policy of Delete, or any change to a storage object's finalizers.
 */
export function patchMayMakeDeletable(args: {
  kind: string;
  name: string;
  namespace?: string;
  patch: unknown;
}): Destruction | undefined {
  const kind = storageKindOf(args.kind);
  if (kind !== 'PersistentVolume' && kind !== 'PersistentVolumeClaim') return undefined;
  const text = JSON.stringify(args.patch);
  if (!/"Delete"|finalizers/.test(text)) return undefined;
  const what = `${kind}/${args.name}: the patch may let it, and its cloud volume, be deleted`;
  return kind === 'PersistentVolumeClaim' ? { what, namespace: args.namespace ?? 'default' } : { what };
}

type KubeObject = Record<string, any>;

/**
 * What a patch does make deletable, from the object before and after the server's dry run: a
 * Released or Available volume set to Delete (its controller deletes the cloud volume at once), or
 * a storage object that loses its protection finalizer.
 */
export function patchMakesDeletable(current: KubeObject, patched: KubeObject): Destruction | undefined {
  const kind = String(current['kind']);
  const name = `${kind}/${current['metadata']?.name}`;
  const why: string[] = [];
  const phase = current['status']?.phase;
  if (
    kind === 'PersistentVolume' &&
    current['spec']?.persistentVolumeReclaimPolicy !== 'Delete' &&
    patched['spec']?.persistentVolumeReclaimPolicy === 'Delete' &&
    (phase === 'Released' || phase === 'Available')
  )
    why.push(`reclaim policy Delete on a ${phase} volume deletes its cloud volume at once`);
  const finalizer = protections[kind];
  const had = (object: KubeObject) => ((object['metadata']?.finalizers ?? []) as string[]).includes(finalizer ?? '');
  if (finalizer && had(current) && !had(patched)) why.push(`without ${finalizer} it goes even while in use`);
  if (why.length === 0) return undefined;
  const what = `${name}: ${why.join('; ')}`;
  const namespace =
    kind === 'PersistentVolumeClaim' ? current['metadata']?.namespace : current['spec']?.claimRef?.namespace;
  return namespace ? { what, namespace } : { what };
}
