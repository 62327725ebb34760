import type { KubeObject } from '../kube/object-store.js';
import type { ResourceType } from '../kube/resource-catalog.js';
import { cinderZoneLabel } from '../kube/controllers/storage-objects.js';
import { sandboxZone } from '../kube/controllers/volume-provisioner.js';
import { controlPlaneTaint } from '../kube/controllers/taints.js';
import { certManagerCrds, cinderCsiClass, gatewayApiCrds } from '../site/fresh-cluster.js';
import { collectionPath, objectPath, type KubeHttp } from './kube-http.js';
import { pollUntil } from '../support/poll-until.js';

export const kwokNodeAnnotation = 'kwok.x-k8s.io/node';

/** Creates the object unless one of its name exists. */
export async function ensureObject(http: KubeHttp, type: ResourceType, object: KubeObject): Promise<void> {
  const response = await http.request('POST', collectionPath(type, object.metadata.namespace), object);
  if (response.status >= 300 && response.status !== 409)
    throw new Error(`creating ${type.kind} ${object.metadata.name}: ${response.body?.message ?? response.status}`);
}

/** A KWOK node shaped as Kubespray leaves it: the first is the control plane, tainted so user pods go to the workers. */
export function kwokNode(name: string, controlPlane: boolean, kubeletVersion: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [kwokNodeAnnotation]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        [cinderZoneLabel]: sandboxZone,
        'topology.kubernetes.io/zone': sandboxZone,
        ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: controlPlane ? { taints: [controlPlaneTaint] } : {},
    status: {
      capacity: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      nodeInfo: { kubeletVersion },
    },
  };
}

/** Keeps the Node objects equal to the instances Kubespray joined. */
export async function syncRealNodes(
  http: KubeHttp,
  types: ResourceType[],
  nodes: string[],
  kubeletVersion: string,
): Promise<void> {
  const nodeType = types.find((type) => type.kind === 'Node')!;
  for (const node of await http.list(nodeType))
    if (!nodes.includes(node.metadata.name))
      await http.request('DELETE', objectPath(nodeType, undefined, node.metadata.name));
  for (const [index, name] of nodes.entries())
    await ensureObject(http, nodeType, kwokNode(name, index === 0, kubeletVersion));
}

/** What a fresh Kubespray cluster has before anyone deploys: its nodes, Cinder's default StorageClass, cert-manager's kinds. */
export async function seedRealCluster(
  http: KubeHttp,
  types: ResourceType[],
  nodes: string[],
  options: { certManager: boolean; gatewayApi?: boolean; kubeletVersion: string },
): Promise<void> {
  const type = (kind: string) => types.find((candidate) => candidate.kind === kind)!;
  if (options.certManager)
    await ensureObject(http, type('Namespace'), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'cert-manager' },
    });
  await syncRealNodes(http, types, nodes, options.kubeletVersion);
  await ensureObject(http, type('StorageClass'), cinderCsiClass);
  const crds = [...(options.certManager ? certManagerCrds : []), ...(options.gatewayApi ? gatewayApiCrds : [])];
  for (const definition of crds) await ensureObject(http, type('CustomResourceDefinition'), definition);
  // helm and kubectl find a kind only once its definition is Established.
  for (const definition of crds)
    await pollUntil(
      async () => {
        const path = objectPath(type('CustomResourceDefinition'), undefined, definition.metadata.name);
        const found = await http.request('GET', path);
        return (found.body?.status?.conditions ?? []).some(
          (condition: any) => condition.type === 'Established' && condition.status === 'True',
        );
      },
      () => `${definition.metadata.name} was never Established`,
      30_000,
      50,
    );
}
