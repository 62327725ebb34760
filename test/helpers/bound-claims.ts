import type { KubeSandbox } from './kube-sandbox.js';

const storageClass =
  'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: standard, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}\nprovisioner: cinder.csi.openstack.org\nreclaimPolicy: Delete\n';
const claim = (name: string, namespace: string) =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}, namespace: ${namespace}, labels: {component: singleuser-storage}}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n`;

/** Claims in two namespaces, each Bound to a dynamically provisioned Cinder volume with reclaim policy Delete. */
export async function boundClaims(sandbox: KubeSandbox, claims: Record<string, string[]>): Promise<void> {
  const manifests = [storageClass];
  for (const [namespace, names] of Object.entries(claims)) {
    manifests.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${namespace}}\n`);
    for (const name of names) manifests.push(claim(name, namespace));
  }
  const applied = await sandbox.kubectl(['apply', '-f', '-'], manifests.join('---\n'));
  if (applied.exitCode !== 0) throw new Error(applied.stderr);
  sandbox.server.settle();
}
