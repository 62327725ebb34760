import { readFile } from 'node:fs/promises';
import { backupFile, parseKubeList } from '../../plugins/kube/kube-list.js';
import type { KubeApiServer } from '../kube/api-server.js';
import type { KubeObject } from '../kube/object-store.js';
import { volumeIdOf } from '../kube/controllers/volume-binder.js';

function typeOf(server: KubeApiServer, kind: string) {
  return server.types.find((type) => type.kind === kind)!;
}

function ensureNamespace(server: KubeApiServer, name: string): void {
  const type = typeOf(server, 'Namespace');
  if (!server.store.find(type, undefined, name)) server.store.create(type, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** One object of `kind` per user in the namespace, made with `build` unless one of that name is there already. */
function seedPerUser(server: KubeApiServer, kind: string, namespace: string, users: string[], nameOf: (user: string) => string, build: (user: string, name: string) => KubeObject): void {
  const type = typeOf(server, kind);
  for (const user of users) {
    const name = nameOf(user);
    if (!server.store.find(type, namespace, name)) server.store.create(type, namespace, build(user, name));
  }
  server.settle();
}

/** JupyterHub users who have logged in once: KubeSpawner's `claim-<user>` claims, each given a Cinder volume by the provisioner. */
export function seedUsers(server: KubeApiServer, namespace: string, users: string[], capacity = '10Gi'): void {
  ensureNamespace(server, namespace);
  seedPerUser(server, 'PersistentVolumeClaim', namespace, users, (user) => `claim-${user}`, (user, name) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace,
      annotations: { 'hub.jupyter.org/username': user },
      labels: { app: 'jupyterhub', component: 'singleuser-storage', heritage: 'jupyterhub', release: 'jhub', chart: 'jupyterhub-4.2.0' },
    },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: capacity } } },
  }));
}

/** Users whose servers are running, as KubeSpawner starts them: a `jupyter-<user>` pod mounting the user's claim. */
export function seedServers(server: KubeApiServer, namespace: string, users: string[]): void {
  seedPerUser(server, 'Pod', namespace, users, (user) => `jupyter-${user}`, (user, name) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      annotations: { 'hub.jupyter.org/username': user },
      labels: { app: 'jupyterhub', component: 'singleuser-server', heritage: 'jupyterhub', release: 'jhub', 'hub.jupyter.org/username': user },
    },
    spec: {
      containers: [{ name: 'notebook', image: 'quay.io/jupyterhub/k8s-singleuser-sample:4.2.0', volumeMounts: [{ name: 'home', mountPath: '/home/jovyan' }] }],
      volumes: [{ name: 'home', persistentVolumeClaim: { claimName: `claim-${user}` } }],
    },
  }));
}

async function listItems(path: string): Promise<KubeObject[]> {
  const document = parseKubeList(await readFile(path, 'utf8')) as { items?: KubeObject[] } | null;
  return document?.items ?? [];
}

/** A real site's backup (the seed's `kubectl get pv/pvc -o yaml`, or the runner's JSON), recreated as it was: same volumes, uids and bindings. */
export async function seedFromBackup(server: KubeApiServer, backupDir: string): Promise<{ volumes: number; claims: number }> {
  const pvs = await listItems(backupFile(backupDir, 'pv'));
  const pvcs = await listItems(backupFile(backupDir, 'pvc'));
  for (const namespace of new Set(pvcs.map((pvc) => pvc.metadata.namespace as string))) ensureNamespace(server, namespace);
  for (const pv of pvs) {
    const id = volumeIdOf(pv);
    if (id && !server.volumes.get(id)) server.volumes.create(`kubernetes-dynamic-${pv.metadata.name}`, Number.parseInt(String(pv.spec?.capacity?.storage ?? '1'), 10) || 1, id);
    server.store.restore(typeOf(server, 'PersistentVolume'), pv);
  }
  for (const pvc of pvcs) server.store.restore(typeOf(server, 'PersistentVolumeClaim'), pvc);
  server.settle();
  return { volumes: pvs.length, claims: pvcs.length };
}
