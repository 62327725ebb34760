import type { KubeApiServer } from '../kube/api-server.js';
import type { SeedConfig } from './sandbox-config.js';
import { seedDeletedUsers, seedServers, seedUsers } from './seed-users.js';

const userNames = (prefix: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index + from).padStart(2, '0')}`);

/** How a site makes what the seed settings ask for: in the simulator's store, or through a real API server. */
export interface SeedActions {
  users(namespace: string, users: string[], inTree: number): void | Promise<void>;
  servers(namespace: string, users: string[]): void | Promise<void>;
  deletedUsers(namespace: string, users: string[]): void | Promise<void>;
}

/** The users, servers, deleted users and other namespaces' users the settings ask for; one line each for the run's output. */
export async function seedWith(seed: SeedConfig, actions: SeedActions): Promise<string[]> {
  const lines: string[] = [];
  if (seed.users > 0) {
    const users = userNames('user', seed.users);
    await actions.users(seed.namespace, users, seed.inTreeUsers);
    if (seed.servers > 0) await actions.servers(seed.namespace, users.slice(0, seed.servers));
    const servers = seed.servers > 0 ? `, ${seed.servers} of them with a running server` : '';
    const inTree = seed.inTreeUsers > 0 ? ` (${seed.inTreeUsers} from before CSI, class standard)` : '';
    lines.push(
      `users: ${users.length} JupyterHub users in ${seed.namespace}, each with a Cinder volume${inTree}${servers}`,
    );
  }
  if (seed.deletedUsers > 0) {
    const deleted = userNames('gone', seed.deletedUsers);
    await actions.deletedUsers(seed.namespace, deleted);
    lines.push(
      `deleted users: ${deleted.join(', ')} in ${seed.namespace}, their volumes Released (Retain) with their files`,
    );
  }
  for (const [namespace, count] of Object.entries(seed.otherNamespaces)) {
    await actions.users(namespace, userNames('user', count), 0);
    lines.push(`other namespace: ${count} user claim(s) in ${namespace}, bound to their own volumes`);
  }
  return lines;
}

/** The seed settings, made in the simulator's store. */
export function seedSite(server: KubeApiServer, seed: SeedConfig): Promise<string[]> {
  return seedWith(seed, {
    users: (namespace, users, inTree) => seedUsers(server, namespace, users, { inTree }),
    servers: (namespace, users) => seedServers(server, namespace, users),
    deletedUsers: (namespace, users) => seedDeletedUsers(server, namespace, users),
  });
}
