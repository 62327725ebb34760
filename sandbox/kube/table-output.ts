import type { KubeObject } from './object-store.js';

/** A column of a `meta.k8s.io/v1` Table, as the API server describes it to kubectl. */
interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  priority?: number;
  description: string;
  cell: (object: KubeObject) => string | number | boolean;
}

/** The API server's short ages: 45s, 12m, 3h, 5d, as `kubectl get` shows them. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

const name: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (object) => object.metadata.name,
};
const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp of when the object was created.',
  cell: (object) => age(object.metadata.creationTimestamp),
};
const none = (value: unknown) => (value === undefined || value === null || value === '' ? '<none>' : String(value));
const accessModes = (modes: string[] | undefined) =>
  (modes ?? [])
    .map(
      (mode) =>
        ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[mode] ?? mode,
    )
    .join(',');

/** As kubectl's printer: the first init container not done says `Init:<reason>`, or `Init:<done>/<all>` while one runs. */
function initStatus(pod: KubeObject): string | undefined {
  const statuses = (pod.status?.initContainerStatuses ?? []) as any[];
  for (const [index, status] of statuses.entries()) {
    if (status.state?.terminated?.exitCode === 0) continue;
    if (status.state?.terminated) return `Init:${status.state.terminated.reason ?? 'Error'}`;
    const reason = status.state?.waiting?.reason;
    if (reason && reason !== 'PodInitializing') return `Init:${reason}`;
    return `Init:${index}/${pod.spec?.initContainers?.length ?? statuses.length}`;
  }
  return undefined;
}

function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const initializing = initStatus(pod);
  if (initializing) return initializing;
  const waiting = (pod.status?.containerStatuses ?? [])
    .map((status: any) => status.state?.waiting?.reason)
    .find(Boolean);
  return waiting ?? pod.status?.reason ?? pod.status?.phase ?? 'Pending';
}

function podReady(pod: KubeObject): string {
  const containers = pod.spec?.containers?.length ?? 0;
  const ready = (pod.status?.containerStatuses ?? []).filter((status: any) => status.ready).length;
  const allReady = (pod.status?.conditions ?? []).some(
    (condition: any) => condition.type === 'Ready' && condition.status === 'True',
  );
  return `${allReady && ready === 0 ? containers : ready}/${containers}`;
}

function servicePorts(service: KubeObject): string {
  return none(
    (service.spec?.ports ?? [])
      .map((port: any) => `${port.port}${port.nodePort ? `:${port.nodePort}` : ''}/${port.protocol ?? 'TCP'}`)
      .join(','),
  );
}

function externalIp(service: KubeObject): string {
  const ingress = (service.status?.loadBalancer?.ingress ?? [])
    .map((entry: any) => entry.ip ?? entry.hostname)
    .filter(Boolean);
  if (service.spec?.type === 'LoadBalancer') return ingress.length ? ingress.join(',') : '<pending>';
  return none((service.spec?.externalIPs ?? []).join(','));
}

const count = (name: string, description: string, value: (object: KubeObject) => unknown): Column => ({
  name,
  type: 'integer',
  description,
  cell: (object) => Number(value(object) ?? 0),
});
/** As the printers' labels.FormatLabels: `key=value,...`, or <none>. */
const selectorText = (labels: Record<string, string> | undefined) =>
  none(
    Object.entries(labels ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(','),
  );
/** The wide columns of the workload kinds: the pod template's container names and images, and the selector. */
const templateColumns = (selector: boolean): Column[] => [
  {
    name: 'Containers',
    type: 'string',
    priority: 1,
    description: 'Names of each container in the template.',
    cell: (w) => (w.spec?.template?.spec?.containers ?? []).map((c: any) => c.name).join(','),
  },
  {
    name: 'Images',
    type: 'string',
    priority: 1,
    description: 'Images referenced by each container in the template.',
    cell: (w) => (w.spec?.template?.spec?.containers ?? []).map((c: any) => c.image).join(','),
  },
  ...(selector
    ? [
        {
          name: 'Selector',
          type: 'string' as const,
          priority: 1,
          description: 'A label query over pods that should match the replica count.',
          cell: (w: KubeObject) => selectorText(w.spec?.selector?.matchLabels),
        },
      ]
    : []),
];
/** A volume's or claim's VolumeAttributesClass, or <unset>, as the printers show it since it was added. */
const attributesClass: Column = {
  name: 'VolumeAttributesClass',
  type: 'string',
  description: 'VolumeAttributesClass of the volume or claim.',
  cell: (object) => object.spec?.volumeAttributesClassName ?? '<unset>',
};
const volumeMode: Column = {
  name: 'VolumeMode',
  type: 'string',
  priority: 1,
  description: 'Whether the volume is a filesystem or a raw block device.',
  cell: (object) => object.spec?.volumeMode ?? '<unset>',
};
/** A PodDisruptionBudget's minAvailable or maxUnavailable, or N/A when it sets the other. */
const budget = (value: unknown) => (value === undefined || value === null ? 'N/A' : String(value));

/** The columns `kubectl get` shows for the kinds people read after a deploy or a rebuild, as the API server's printers define them. */
const columns: Record<string, Column[]> = {
  DaemonSet: [
    name,
    count(
      'Desired',
      'The desired number of nodes that should be running the daemon pod.',
      (d) => d.status?.desiredNumberScheduled,
    ),
    count('Current', 'The number of nodes running at least one daemon pod.', (d) => d.status?.currentNumberScheduled),
    count(
      'Ready',
      'The number of nodes that should be running the daemon pod and have one ready.',
      (d) => d.status?.numberReady,
    ),
    count(
      'Up-to-date',
      'The total number of nodes running the updated daemon pod.',
      (d) => d.status?.updatedNumberScheduled,
    ),
    count(
      'Available',
      'The number of nodes running the daemon pod and have one available.',
      (d) => d.status?.numberAvailable,
    ),
    {
      name: 'Node Selector',
      type: 'string',
      description: 'NodeSelector is a selector which must be true for the pod to fit on a node.',
      cell: (d) => selectorText(d.spec?.template?.spec?.nodeSelector),
    },
    ageColumn,
    ...templateColumns(true),
  ],
  StatefulSet: [
    name,
    {
      name: 'Ready',
      type: 'string',
      description: 'Number of the pod with ready state.',
      cell: (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`,
    },
    ageColumn,
    ...templateColumns(false),
  ],
  ReplicaSet: [
    name,
    count('Desired', 'Replicas is the number of desired replicas.', (r) => r.spec?.replicas ?? 1),
    count('Current', 'Replicas is the most recently observed number of replicas.', (r) => r.status?.replicas),
    count('Ready', 'The number of ready replicas for this replica set.', (r) => r.status?.readyReplicas),
    ageColumn,
    ...templateColumns(true),
  ],
  Lease: [
    name,
    {
      name: 'Holder',
      type: 'string',
      description: 'Name of the holder of the lease.',
      cell: (lease) => lease.spec?.holderIdentity ?? '',
    },
    ageColumn,
  ],
  PodDisruptionBudget: [
    name,
    {
      name: 'Min Available',
      type: 'string',
      description: 'The minimum number of pods that must be available simultaneously.',
      cell: (p) => budget(p.spec?.minAvailable),
    },
    {
      name: 'Max Unavailable',
      type: 'string',
      description: 'The maximum number of pods that may be unavailable simultaneously.',
      cell: (p) => budget(p.spec?.maxUnavailable),
    },
    count(
      'Allowed Disruptions',
      'Calculated number of pods that may be disrupted at this time.',
      (p) => p.status?.disruptionsAllowed,
    ),
    ageColumn,
  ],
  Pod: [
    name,
    {
      name: 'Ready',
      type: 'string',
      description: 'The aggregate readiness state of this pod for accepting traffic.',
      cell: podReady,
    },
    {
      name: 'Status',
      type: 'string',
      description: 'The aggregate status of the containers in this pod.',
      cell: podStatus,
    },
    {
      name: 'Restarts',
      type: 'string',
      description: 'The number of times the containers in this pod have been restarted.',
      cell: (pod) =>
        String(
          (pod.status?.containerStatuses ?? []).reduce(
            (total: number, status: any) => total + (status.restartCount ?? 0),
            0,
          ),
        ),
    },
    ageColumn,
    {
      name: 'IP',
      type: 'string',
      priority: 1,
      description: 'IP address allocated to the pod.',
      cell: (pod) => none(pod.status?.podIP),
    },
    {
      name: 'Node',
      type: 'string',
      priority: 1,
      description: 'Name of the Node this pod runs on.',
      cell: (pod) => none(pod.spec?.nodeName),
    },
  ],
  Deployment: [
    name,
    {
      name: 'Ready',
      type: 'string',
      description: 'Number of the pod with ready state.',
      cell: (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
    },
    {
      name: 'Up-to-date',
      type: 'integer',
      description:
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      cell: (d) => d.status?.updatedReplicas ?? 0,
    },
    {
      name: 'Available',
      type: 'integer',
      description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      cell: (d) => d.status?.availableReplicas ?? 0,
    },
    ageColumn,
  ],
  Service: [
    name,
    { name: 'Type', type: 'string', description: 'The type of service.', cell: (s) => s.spec?.type ?? 'ClusterIP' },
    {
      name: 'Cluster-IP',
      type: 'string',
      description: 'The IP address of the service.',
      cell: (s) => none(s.spec?.clusterIP),
    },
    { name: 'External-IP', type: 'string', description: 'The external IPs of the service.', cell: externalIp },
    { name: 'Port(s)', type: 'string', description: 'The ports of the service.', cell: servicePorts },
    ageColumn,
  ],
  PersistentVolume: [
    name,
    {
      name: 'Capacity',
      type: 'string',
      description: 'The storage capacity of the volume.',
      cell: (pv) => none(pv.spec?.capacity?.storage),
    },
    {
      name: 'Access Modes',
      type: 'string',
      description: 'The access modes of the volume.',
      cell: (pv) => accessModes(pv.spec?.accessModes),
    },
    {
      name: 'Reclaim Policy',
      type: 'string',
      description: 'What happens to the volume when its claim is released.',
      cell: (pv) => none(pv.spec?.persistentVolumeReclaimPolicy),
    },
    {
      name: 'Status',
      type: 'string',
      description: 'The phase of the volume.',
      cell: (pv) => pv.status?.phase ?? 'Pending',
    },
    {
      name: 'Claim',
      type: 'string',
      description: 'The claim bound to the volume.',
      cell: (pv) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : ''),
    },
    {
      name: 'StorageClass',
      type: 'string',
      description: 'The storage class of the volume.',
      cell: (pv) => pv.spec?.storageClassName ?? '',
    },
    attributesClass,
    {
      name: 'Reason',
      type: 'string',
      description: 'Why the volume is in its phase.',
      cell: (pv) => pv.status?.reason ?? '',
    },
    ageColumn,
    volumeMode,
  ],
  PersistentVolumeClaim: [
    name,
    {
      name: 'Status',
      type: 'string',
      description: 'The phase of the claim.',
      cell: (pvc) => (pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? 'Pending')),
    },
    {
      name: 'Volume',
      type: 'string',
      description: 'The volume bound to the claim.',
      cell: (pvc) => pvc.spec?.volumeName ?? '',
    },
    {
      name: 'Capacity',
      type: 'string',
      description: 'The capacity of the bound volume.',
      cell: (pvc) => pvc.status?.capacity?.storage ?? '',
    },
    {
      name: 'Access Modes',
      type: 'string',
      description: 'The access modes of the bound volume.',
      cell: (pvc) => accessModes(pvc.status?.accessModes),
    },
    {
      name: 'StorageClass',
      type: 'string',
      description: 'The storage class of the claim.',
      cell: (pvc) => pvc.spec?.storageClassName ?? '',
    },
    attributesClass,
    ageColumn,
    volumeMode,
  ],
  // As kube-apiserver's printStorageClass: the default class marked in its name, absent fields as the API defaults them.
  StorageClass: [
    {
      ...name,
      cell: (sc) =>
        ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some(
          (key) => sc.metadata.annotations?.[key] === 'true',
        )
          ? `${sc.metadata.name} (default)`
          : sc.metadata.name,
    },
    {
      name: 'Provisioner',
      type: 'string',
      description: 'The provisioner of the class.',
      cell: (sc) => sc['provisioner'],
    },
    {
      name: 'ReclaimPolicy',
      type: 'string',
      description: 'What happens to a volume of the class when its claim goes.',
      cell: (sc) => sc['reclaimPolicy'] ?? 'Delete',
    },
    {
      name: 'VolumeBindingMode',
      type: 'string',
      description: 'When volumes of the class are provisioned and bound.',
      cell: (sc) => sc['volumeBindingMode'] ?? 'Immediate',
    },
    {
      name: 'AllowVolumeExpansion',
      type: 'string',
      description: 'Whether volumes of the class may grow.',
      cell: (sc) => sc['allowVolumeExpansion'] ?? false,
    },
    ageColumn,
  ],
  Node: [
    name,
    {
      name: 'Status',
      type: 'string',
      description: 'The status of the node.',
      cell: (node) =>
        (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')
          ? 'Ready'
          : 'NotReady',
    },
    {
      name: 'Roles',
      type: 'string',
      description: 'The roles of the node.',
      cell: (node) =>
        none(
          Object.keys(node.metadata.labels ?? {})
            .filter((label) => label.startsWith('node-role.kubernetes.io/'))
            .map((label) => label.split('/')[1])
            .join(','),
        ),
    },
    ageColumn,
    {
      name: 'Version',
      type: 'string',
      description: 'Kubelet Version reported by the node.',
      cell: (node) => node.status?.nodeInfo?.kubeletVersion ?? '',
    },
  ],
};

/** Whether kubectl asked for a server-side table (`kubectl get` without -o) for a kind that has printer columns. */
export function wantsTable(accept: string | undefined, kind: string, group: string): boolean {
  return (
    /as=Table/.test(accept ?? '') &&
    ['', 'apps', 'policy', 'storage.k8s.io', 'coordination.k8s.io'].includes(group) &&
    kind in columns
  );
}

/** The `meta.k8s.io/v1` Table kubectl prints, with each row's object as PartialObjectMetadata. */
export function asTable(kind: string, objects: KubeObject[], resourceVersion: string): object {
  const defined = columns[kind]!;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: defined.map(({ cell: _cell, priority, ...column }) => ({
      ...column,
      format: column.format ?? '',
      priority: priority ?? 0,
    })),
    rows: objects.map((object) => ({
      cells: defined.map((column) => column.cell(object)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
    })),
  };
}
