import type { KubeApiServer } from '../kube/api-server.js';
import type { KubeObject } from '../kube/object-store.js';
import { cinderZoneLabel } from '../kube/controllers/storage-objects.js';
import { sandboxZone } from '../kube/controllers/volume-provisioner.js';
import { controlPlaneTaint } from '../kube/controllers/taints.js';

interface CrdBundle {
  labels: Record<string, string>;
  category: string;
  version: string;
}

const certManager: CrdBundle = {
  labels: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/instance': 'cert-manager' },
  category: 'cert-manager',
  version: 'v1',
};

function crd(
  group: string,
  kind: string,
  plural: string,
  scope: 'Namespaced' | 'Cluster',
  shortNames: string[],
  bundle: CrdBundle = certManager,
): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, labels: bundle.labels },
    spec: {
      group,
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        shortNames,
        categories: [bundle.category],
      },
      scope,
      versions: [
        {
          name: bundle.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

/** cert-manager's kinds, which Kubespray installs with `cert_manager_enabled: true`. */
export const certManagerCrds: KubeObject[] = [
  crd('cert-manager.io', 'Certificate', 'certificates', 'Namespaced', ['cert', 'certs']),
  crd('cert-manager.io', 'CertificateRequest', 'certificaterequests', 'Namespaced', ['cr', 'crs']),
  crd('cert-manager.io', 'Issuer', 'issuers', 'Namespaced', []),
  crd('cert-manager.io', 'ClusterIssuer', 'clusterissuers', 'Cluster', []),
  crd('acme.cert-manager.io', 'Order', 'orders', 'Namespaced', []),
  crd('acme.cert-manager.io', 'Challenge', 'challenges', 'Namespaced', []),
];

const gatewayApi = (version: string): CrdBundle => ({
  labels: { 'gateway.networking.k8s.io/bundle-version': 'v1.2.1', 'gateway.networking.k8s.io/channel': 'standard' },
  category: 'gateway-api',
  version,
});

/** The Gateway API's standard channel (v1.2.1), which Kubespray installs with `gateway_api_enabled: true`. */
export const gatewayApiCrds: KubeObject[] = [
  crd('gateway.networking.k8s.io', 'GatewayClass', 'gatewayclasses', 'Cluster', ['gc'], gatewayApi('v1')),
  crd('gateway.networking.k8s.io', 'Gateway', 'gateways', 'Namespaced', ['gtw'], gatewayApi('v1')),
  crd('gateway.networking.k8s.io', 'HTTPRoute', 'httproutes', 'Namespaced', [], gatewayApi('v1')),
  crd('gateway.networking.k8s.io', 'GRPCRoute', 'grpcroutes', 'Namespaced', [], gatewayApi('v1')),
  crd(
    'gateway.networking.k8s.io',
    'ReferenceGrant',
    'referencegrants',
    'Namespaced',
    ['refgrant'],
    gatewayApi('v1beta1'),
  ),
];

function put(server: KubeApiServer, kind: string, object: KubeObject): void {
  const type = server.types.find((candidate) => candidate.kind === kind)!;
  if (!server.store.find(type, object.metadata.namespace, object.metadata.name))
    server.store.create(type, object.metadata.namespace, object);
}

/** The default class Kubespray's Cinder CSI addon creates: volumes wait for the first pod that uses them, and go with their claim. */
export const cinderCsiClass: KubeObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'cinder-csi', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'cinder.csi.openstack.org',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: true,
};

/** What a fresh Kubespray cluster has before anyone deploys: system namespaces, nodes, Cinder's default StorageClass, cert-manager. */
export function seedFreshCluster(
  server: KubeApiServer,
  nodes: string[],
  options: { certManager: boolean; gatewayApi?: boolean; kubeletVersion: string },
): void {
  for (const name of [
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
    ...(options.certManager ? ['cert-manager'] : []),
  ]) {
    put(server, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  putNodes(server, nodes, options.kubeletVersion);
  put(server, 'StorageClass', cinderCsiClass);
  if (options.certManager)
    for (const definition of certManagerCrds) put(server, 'CustomResourceDefinition', definition);
  if (options.gatewayApi) for (const definition of gatewayApiCrds) put(server, 'CustomResourceDefinition', definition);
  server.settle();
}

/** The first node is the control plane, as Kubespray labels and taints it. */
function putNodes(server: KubeApiServer, nodes: string[], kubeletVersion: string): void {
  for (const [index, name] of nodes.entries()) {
    put(server, 'Node', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          [cinderZoneLabel]: sandboxZone,
          'topology.kubernetes.io/zone': sandboxZone,
          ...(index === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        },
      },
      spec: index === 0 ? { taints: [controlPlaneTaint] } : {},
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
        nodeInfo: { kubeletVersion },
      },
    });
  }
}

/** Keeps the Node objects equal to the instances Kubespray joined, at the release it installed. */
export function syncNodes(server: KubeApiServer, nodes: string[], kubeletVersion: string): void {
  const type = server.types.find((candidate) => candidate.kind === 'Node')!;
  for (const node of server.store.list(type))
    if (!nodes.includes(node.metadata.name)) server.store.delete(type, undefined, node.metadata.name);
  putNodes(server, nodes, kubeletVersion);
  // Nodes that were there already run the kubelet Kubespray installed last.
  for (const node of server.store.list(type))
    if (node.status?.nodeInfo?.kubeletVersion !== kubeletVersion)
      server.store.update(type, undefined, {
        ...node,
        status: { ...node.status, nodeInfo: { ...node.status?.nodeInfo, kubeletVersion } },
      });
  server.settle();
}

/** Whether a node's kubelet is at another release than Kubespray installed. */
export function kubeletsBehind(server: KubeApiServer, release: string): boolean {
  const type = server.types.find((candidate) => candidate.kind === 'Node')!;
  return server.store.list(type).some((node) => node.status?.nodeInfo?.kubeletVersion !== release);
}

/**
 * Kubespray's upgrade drains each node before its kubelet is replaced (`kubectl drain --force
 * --ignore-daemonsets`): every pod there but a DaemonSet's goes, and controllers start theirs again;
 * a user's server, which no controller owns, stays stopped.
 */
export function drainNodes(server: KubeApiServer, nodes: string[]): void {
  const type = server.types.find((candidate) => candidate.kind === 'Pod')!;
  for (const node of nodes) {
    for (const pod of server.store.list(type)) {
      if (pod.spec?.nodeName !== node) continue;
      if ((pod.metadata.ownerReferences ?? []).some((owner: { kind?: string }) => owner.kind === 'DaemonSet')) continue;
      server.store.delete(type, pod.metadata.namespace, pod.metadata.name);
    }
    server.settle();
  }
}
