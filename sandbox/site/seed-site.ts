import type { KubeApiServer } from '../kube/api-server.js';
import type { SeedConfig } from './sandbox-config.js';
import { seedDeletedUsers, seedServers, seedUsers } from './seed-users.js';

const userNames = (prefix: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index + from).padStart(2, '0')}`);

/** The users, servers, deleted users and other namespaces' users the settings ask for; one line each for the run's output. */
export function seedSite(server: KubeApiServer, seed: SeedConfig): string[] {
  const lines: string[] = [];
  if (seed.users > 0) {
    const users = userNames('user', seed.users);
    seedUsers(server, seed.namespace, users, { inTree: seed.inTreeUsers });
    seedServers(server, seed.namespace, users.slice(0, seed.servers));
    const servers = seed.servers > 0 ? `, ${seed.servers} of them with a running server` : '';
    const inTree = seed.inTreeUsers > 0 ? ` (${seed.inTreeUsers} from before CSI, class standard)` : '';
    lines.push(
      `users: ${users.length} JupyterHub users in ${seed.namespace}, each with a Cinder volume${inTree}${servers}`,
    );
  }
  if (seed.deletedUsers > 0) {
    const deleted = userNames('gone', seed.deletedUsers);
    seedDeletedUsers(server, seed.namespace, deleted);
    lines.push(
      `deleted users: ${deleted.join(', ')} in ${seed.namespace}, their volumes Released (Retain) with their files`,
    );
  }
  for (const [namespace, count] of Object.entries(seed.otherNamespaces)) {
    seedUsers(server, namespace, userNames('user', count), { inTree: 0 });
    lines.push(`other namespace: ${count} user claim(s) in ${namespace}, bound to their own volumes`);
  }
  return lines;
}
