/** One kind the simulated API server serves. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  subresources?: string[];
  /** Defined by a CustomResourceDefinition at run time. */
  custom?: boolean;
}

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function type(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[] = [],
  subresources: string[] = [],
): ResourceType {
  return { group, version, kind, plural, singular: kind.toLowerCase(), namespaced, shortNames, subresources };
}

/** Every kind the real JupyterHub chart, cert-manager and the procedures use. */
export const builtinResourceTypes: ResourceType[] = [
  type('', 'v1', 'Namespace', 'namespaces', false, ['ns'], ['status']),
  type('', 'v1', 'Node', 'nodes', false, ['no'], ['status']),
  type('', 'v1', 'Pod', 'pods', true, ['po'], ['status']),
  type('', 'v1', 'Service', 'services', true, ['svc'], ['status']),
  type('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['sa']),
  type('', 'v1', 'ConfigMap', 'configmaps', true, ['cm']),
  type('', 'v1', 'Secret', 'secrets', true),
  type('', 'v1', 'PersistentVolume', 'persistentvolumes', false, ['pv'], ['status']),
  type('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc'], ['status']),
  type('', 'v1', 'Event', 'events', true, ['ev']),
  type('apps', 'v1', 'Deployment', 'deployments', true, ['deploy'], ['status', 'scale']),
  type('apps', 'v1', 'StatefulSet', 'statefulsets', true, ['sts'], ['status', 'scale']),
  type('apps', 'v1', 'DaemonSet', 'daemonsets', true, ['ds'], ['status']),
  type('apps', 'v1', 'ReplicaSet', 'replicasets', true, ['rs'], ['status', 'scale']),
  type('batch', 'v1', 'Job', 'jobs', true, [], ['status']),
  // Plain objects with no controller: leader election (the chart's user-scheduler) and locks.
  type('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  type('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  type('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  type('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  type('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  type('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, ['ing'], ['status']),
  type('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, ['netpol']),
  type('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, ['pdb'], ['status']),
  type('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, ['pc']),
  type('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, ['sc']),
  type(
    'apiextensions.k8s.io',
    'v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    false,
    ['crd', 'crds'],
    ['status'],
  ),
];

/** Kinds a release serves by default only from (`since`) or until (`until`) a minor version, as in the Kubernetes deprecation guide. */
export const versionedResourceTypes: { type: ResourceType; since?: number; until?: number }[] = [
  // flowcontrol v1beta3 stopped being served in 1.32; v1 came in 1.29.
  {
    type: type('flowcontrol.apiserver.k8s.io', 'v1beta3', 'FlowSchema', 'flowschemas', false, [], ['status']),
    until: 31,
  },
  {
    type: type(
      'flowcontrol.apiserver.k8s.io',
      'v1beta3',
      'PriorityLevelConfiguration',
      'prioritylevelconfigurations',
      false,
      [],
      ['status'],
    ),
    until: 31,
  },
  { type: type('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema', 'flowschemas', false, [], ['status']), since: 29 },
  {
    type: type(
      'flowcontrol.apiserver.k8s.io',
      'v1',
      'PriorityLevelConfiguration',
      'prioritylevelconfigurations',
      false,
      [],
      ['status'],
    ),
    since: 29,
  },
  // The service CIDR APIs went GA, and on by default, in 1.33.
  { type: type('networking.k8s.io', 'v1', 'ServiceCIDR', 'servicecidrs', false, [], ['status']), since: 33 },
  { type: type('networking.k8s.io', 'v1', 'IPAddress', 'ipaddresses', false, ['ip']), since: 33 },
];

/** What a server of this Kubernetes minor version serves out of the box. */
export function resourceTypesOf(minor: number): ResourceType[] {
  const served = versionedResourceTypes.filter(
    (entry) =>
      (entry.since === undefined || minor >= entry.since) && (entry.until === undefined || minor <= entry.until),
  );
  return [...builtinResourceTypes, ...served.map((entry) => entry.type)];
}

export const allVerbs = verbs;

export function apiVersionOf(resource: ResourceType): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}
