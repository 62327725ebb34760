import type { KubeApiServer } from '../kube/api-server.js';
import type { KubeObject } from '../kube/object-store.js';
import { cinderZoneLabel } from '../kube/controllers/storage-objects.js';
import { sandboxZone } from '../kube/controllers/volume-provisioner.js';

function crd(group: string, kind: string, plural: string, scope: 'Namespaced' | 'Cluster', shortNames: string[]): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, labels: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/instance': 'cert-manager' } },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames, categories: ['cert-manager'] },
      scope,
      versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
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

function put(server: KubeApiServer, kind: string, object: KubeObject): void {
  const type = server.types.find((candidate) => candidate.kind === kind)!;
  if (!server.store.find(type, object.metadata.namespace, object.metadata.name)) server.store.create(type, object.metadata.namespace, object);
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
export function seedFreshCluster(server: KubeApiServer, nodes: string[], options: { certManager: boolean }): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...(options.certManager ? ['cert-manager'] : [])]) {
    put(server, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  putNodes(server, nodes);
  put(server, 'StorageClass', cinderCsiClass);
  if (options.certManager) for (const definition of certManagerCrds) put(server, 'CustomResourceDefinition', definition);
  server.settle();
}

/** The first node is the control plane, as Kubespray labels it. */
function putNodes(server: KubeApiServer, nodes: string[]): void {
  for (const [index, name] of nodes.entries()) {
    put(server, 'Node', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, [cinderZoneLabel]: sandboxZone, 'topology.kubernetes.io/zone': sandboxZone, ...(index === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
      spec: {},
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }], nodeInfo: { kubeletVersion: 'v1.33.9' } },
    });
  }
}

/** Keeps the Node objects equal to the instances Kubespray joined. */
export function syncNodes(server: KubeApiServer, nodes: string[]): void {
  const type = server.types.find((candidate) => candidate.kind === 'Node')!;
  for (const node of server.store.list(type)) if (!nodes.includes(node.metadata.name)) server.store.delete(type, undefined, node.metadata.name);
  putNodes(server, nodes);
  server.settle();
}
