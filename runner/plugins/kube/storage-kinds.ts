/** The kinds whose deletion can take users' volumes with it, with every name kubectl resolves to them. */
const storageKinds = [
  { kind: 'Namespace', names: ['namespaces', 'namespace', 'ns'] },
  { kind: 'PersistentVolumeClaim', names: ['persistentvolumeclaims', 'persistentvolumeclaim', 'pvc'] },
  { kind: 'PersistentVolume', names: ['persistentvolumes', 'persistentvolume', 'pv'] },
] as const;

export type StorageKind = (typeof storageKinds)[number]['kind'];

/**
 * What kubectl would take a kind argument for, when it is one of the storage kinds: `ns`, `Namespace`,
 * `namespaces`, `namespaces.v1.` or `namespace.v1` all name namespaces, as kubectl's resource parsing
 * (resource[.version][.group], case-insensitive, the core group empty) resolves them. Undefined for
 * any other kind, including one of another API group with the same resource name.
 */
export function storageKindOf(argument: string): StorageKind | undefined {
  const lower = argument.toLowerCase();
  const dot = lower.indexOf('.');
  const resource = dot < 0 ? lower : lower.slice(0, dot);
  const rest = dot < 0 ? '' : lower.slice(dot + 1);
  const found = storageKinds.find(
    (entry) => (entry.names as readonly string[]).includes(resource) || entry.kind.toLowerCase() === resource,
  );
  if (!found) return undefined;
  // The core group: nothing, a version alone (`v1`), or a version and an empty group (`v1.`).
  return rest === '' || /^v\d+(?:(?:alpha|beta)\d+)?\.?$/.test(rest) ? found.kind : undefined;
}
