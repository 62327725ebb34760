import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { absoluteLimits, quotaRefusal, quotaSet, unlimitedQuota, usageOf, type CinderQuota } from './cinder-quota.js';
import { badRequest, inUseRefusal, itemNotFound, smallerThanSnapshot } from './cinder-refusals.js';
import { snapshotRoute, type CinderAnswer } from './cinder-snapshots.js';
import type { CloudVolume, VolumeBackend } from './volume-backend.js';
import { floatingIpBody, networkQuota, type FloatingIp } from './neutron-api.js';

/** One change the cloud made: the site writes it to the cloud's own record. */
export interface CinderOperation {
  op: 'create' | 'delete';
  kind: 'volume' | 'snapshot';
  id: string;
  name: string;
}

/** The application credential the site's clouds.yaml holds; the only one Keystone accepts. */
export interface ApplicationCredential {
  id: string;
  secret: string;
}

export interface OpenStackApi {
  /** Keystone's v3 root, as clouds.yaml's auth_url names it. */
  authUrl: string;
  /** Requests that reached Cinder, as `METHOD path` (tests read which calls a run made). */
  requests: string[];
  close(): Promise<void>;
}

export interface OpenStackApiOptions {
  volumes: VolumeBackend;
  credential: ApplicationCredential;
  projectId?: string;
  /** The name each instance's server id has in an attachment: what Nova reports for an in-use volume. */
  attachedTo?: (volume: CloudVolume) => string | undefined;
  /** Called for each volume or snapshot Cinder creates or deletes. */
  record?: (operation: CinderOperation) => void;
  /** The project's Block Storage quota; unlimited when not given. */
  quota?: CinderQuota;
  /** The project's floating IPs now, for Neutron's list. */
  floatingIps?: () => FloatingIp[];
}

export function newApplicationCredential(): ApplicationCredential {
  return { id: randomBytes(16).toString('hex'), secret: randomBytes(24).toString('base64url') };
}

function send(response: ServerResponse, code: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(code, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-openstack-request-id': `req-${randomUUID()}`,
    ...headers,
  });
  response.end(text);
}

function readJson(request: IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
  });
}

/** Cinder's timestamps: UTC without a zone suffix, to the microsecond. */
function cinderTime(iso: string): string {
  return iso.replace(/Z$/, '').replace(/\.(\d{3})$/, '.$1000');
}

/** Keystone's answer when a token or credential is missing or wrong. */
const unauthorized = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};

const computeQuota = {
  cores: 64,
  instances: 10,
  ram: 256000,
  key_pairs: 100,
  server_groups: 10,
  server_group_members: 10,
  metadata_items: 128,
};
const computeLimits = {
  limits: {
    rate: [],
    absolute: {
      maxTotalCores: computeQuota.cores,
      maxTotalInstances: computeQuota.instances,
      maxTotalRAMSize: computeQuota.ram,
      maxTotalKeypairs: computeQuota.key_pairs,
      maxServerMeta: computeQuota.metadata_items,
      maxServerGroups: computeQuota.server_groups,
      maxServerGroupMembers: computeQuota.server_group_members,
      totalCoresUsed: 0,
      totalInstancesUsed: 0,
      totalRAMUsed: 0,
      totalServerGroupsUsed: 0,
    },
  },
};

/**
 * The Keystone and Cinder subset the real `openstack` client needs for volumes, their snapshots and the project's quota,
 * on 127.0.0.1: application-credential tokens, a catalog naming Cinder, and Cinder's own refusals.
 */
export async function startOpenStackApi(options: OpenStackApiOptions): Promise<OpenStackApi> {
  // A Keystone project ID is a UUID's 32 hex digits without dashes.
  const projectId = options.projectId ?? '5a6d9c3e0f1b4e7a8c2d4f6b1e3a5c7d';
  const tokens = new Set<string>();
  const requests: string[] = [];
  let base = '';

  const volumeBody = (volume: CloudVolume, status: string = volume.status) => {
    const server = volume.status === 'in-use' ? options.attachedTo?.(volume) : undefined;
    return {
      id: volume.id,
      name: volume.name,
      status,
      size: volume.sizeGi,
      availability_zone: 'nova',
      created_at: cinderTime(volume.createdAt),
      updated_at: cinderTime(volume.createdAt),
      attachments: server
        ? [
            {
              id: volume.id,
              attachment_id: randomUUID(),
              volume_id: volume.id,
              server_id: server,
              host_name: null,
              device: '/dev/sdb',
              attached_at: cinderTime(volume.createdAt),
            },
          ]
        : [],
      bootable: 'false',
      encrypted: false,
      multiattach: false,
      volume_type: '__DEFAULT__',
      metadata: volume.metadata ?? {},
      description: null,
      snapshot_id: volume.snapshotId ?? null,
      source_volid: null,
      replication_status: null,
      consistencygroup_id: null,
      user_id: 'sandboxuser',
      'os-vol-tenant-attr:tenant_id': projectId,
      links: [{ rel: 'self', href: `${base}/volume/v3/${projectId}/volumes/${volume.id}` }],
    };
  };

  const identity = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (
      request.method === 'GET' &&
      (path === '/identity' || path === '/identity/' || path === '/identity/v3' || path === '/identity/v3/')
    ) {
      return send(response, 200, {
        version: {
          id: 'v3.14',
          status: 'stable',
          updated: '2020-04-07T00:00:00Z',
          links: [{ rel: 'self', href: `${base}/identity/v3/` }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
        },
      });
    }
    if (request.method === 'POST' && path === '/identity/v3/auth/tokens') {
      const body = await readJson(request);
      const credential = body?.auth?.identity?.application_credential;
      if (
        !body?.auth?.identity?.methods?.includes('application_credential') ||
        credential?.id !== options.credential.id ||
        credential?.secret !== options.credential.secret
      )
        return send(response, 401, unauthorized);
      const token = randomBytes(24).toString('hex');
      tokens.add(token);
      const now = new Date();
      const endpoint = (type: string, name: string, url = `${base}/volume/v3/${projectId}`) => ({
        type,
        name,
        id: randomUUID(),
        endpoints: [{ id: randomUUID(), interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url }],
      });
      return send(
        response,
        201,
        {
          token: {
            methods: ['application_credential'],
            user: {
              id: 'sandboxuser',
              name: 'sandbox',
              domain: { id: 'default', name: 'Default' },
              password_expires_at: null,
            },
            project: { id: projectId, name: 'sandbox', domain: { id: 'default', name: 'Default' } },
            application_credential: { id: options.credential.id, name: 'jhub-runner', restricted: true },
            roles: [{ id: 'member', name: 'member' }],
            expires_at: new Date(now.getTime() + 3600_000).toISOString().replace(/Z$/, '000Z'),
            issued_at: now.toISOString().replace(/Z$/, '000Z'),
            audit_ids: [randomUUID()],
            catalog: [
              endpoint('volumev3', 'cinderv3'),
              endpoint('block-storage', 'cinder'),
              endpoint('compute', 'nova', `${base}/compute/v2.1`),
              endpoint('network', 'neutron', `${base}/network`),
              // The client makes an image client before any volume create; it sends Glance nothing here.
              endpoint('image', 'glance', `${base}/image`),
              {
                type: 'identity',
                name: 'keystone',
                id: randomUUID(),
                endpoints: [
                  {
                    id: randomUUID(),
                    interface: 'public',
                    region: 'RegionOne',
                    region_id: 'RegionOne',
                    url: `${base}/identity`,
                  },
                ],
              },
            ],
          },
        },
        { 'x-subject-token': token },
      );
    }
    return send(response, 404, {
      error: { code: 404, message: 'The resource could not be found.', title: 'Not Found' },
    });
  };

  const quota = options.quota ?? unlimitedQuota;
  const snapshotContext = {
    volumes: options.volumes,
    quota,
    projectId,
    time: cinderTime,
    ...(options.record ? { record: options.record } : {}),
  };

  const createVolume = (body: any): CinderAnswer => {
    const asked = body?.volume;
    const snapshotId = typeof asked?.snapshot_id === 'string' ? asked.snapshot_id : undefined;
    const snapshot = snapshotId ? options.volumes.getSnapshot(snapshotId) : undefined;
    if (snapshotId && !snapshot) return { code: 404, body: itemNotFound('Snapshot', snapshotId) };
    const size = Number(asked?.size ?? snapshot?.sizeGi);
    if (!Number.isInteger(size) || size < 1)
      return {
        code: 400,
        body: badRequest(
          `Invalid input received: Volume size '${String(asked?.size)}' must be an integer and greater than 0`,
        ),
      };
    if (snapshot && size < snapshot.sizeGi) return { code: 400, body: smallerThanSnapshot(size, snapshot.sizeGi) };
    const refusal = quotaRefusal(quota, () => usageOf(options.volumes), 'volume', size);
    if (refusal) return { code: 413, body: refusal };
    const metadata =
      asked?.metadata && typeof asked.metadata === 'object' ? (asked.metadata as Record<string, string>) : undefined;
    const volume = options.volumes.create(String(asked?.name ?? ''), size, undefined, metadata, snapshotId);
    options.record?.({ op: 'create', kind: 'volume', id: volume.id, name: volume.name });
    return { code: 202, body: { volume: volumeBody(volume, 'creating') } };
  };

  const volumeRoute = (request: IncomingMessage, rest: string, query: URLSearchParams, body: any): CinderAnswer => {
    if (request.method === 'GET' && (rest === '' || rest === 'detail')) {
      const name = query.get('name');
      const status = query.get('status');
      const found = options.volumes
        .list()
        .filter((each) => (!name || each.name === name) && (!status || each.status === status));
      return {
        code: 200,
        body: { volumes: found.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((each) => volumeBody(each)) },
      };
    }
    if (request.method === 'POST' && rest === '') return createVolume(body);
    const [id = '', sub] = rest.split('/');
    const existing = options.volumes.get(id);
    if (!existing) return { code: 404, body: itemNotFound('Volume', id) };
    if (sub === 'metadata' && request.method === 'POST') {
      const metadata = body?.metadata;
      if (
        !metadata ||
        typeof metadata !== 'object' ||
        Object.values(metadata).some((value) => typeof value !== 'string')
      )
        return { code: 400, body: badRequest('Invalid input received: metadata must be a map of strings') };
      options.volumes.setMetadata(id, metadata as Record<string, string>);
      return { code: 200, body: { metadata: options.volumes.get(id)!.metadata ?? {} } };
    }
    if (sub !== undefined) return { code: 404, body: itemNotFound('Volume', rest) };
    if (request.method === 'GET') return { code: 200, body: { volume: volumeBody(existing) } };
    if (request.method === 'DELETE') {
      if (existing.status !== 'available' || options.volumes.delete(existing.id) !== 'deleted')
        return { code: 400, body: badRequest(inUseRefusal) };
      options.record?.({ op: 'delete', kind: 'volume', id: existing.id, name: existing.name });
      return { code: 202 };
    }
    return { code: 405, body: badRequest(`The method ${request.method} is not allowed here.`) };
  };

  const volume = async (request: IncomingMessage, response: ServerResponse, path: string, query: URLSearchParams) => {
    if (!tokens.has(String(request.headers['x-auth-token'] ?? ''))) return send(response, 401, unauthorized);
    requests.push(`${request.method} ${path}`);
    const match = new RegExp(`^/volume/v3/${projectId}/([a-z-]+)/?(.*)$`).exec(path);
    const body = request.method === 'POST' || request.method === 'PUT' ? await readJson(request) : undefined;
    const [, resource, rest = ''] = match ?? [];
    const answer: CinderAnswer =
      resource === 'volumes'
        ? volumeRoute(request, rest, query, body)
        : resource === 'snapshots'
          ? snapshotRoute(snapshotContext, request, rest, query, body)
          : resource === 'limits' && request.method === 'GET'
            ? { code: 200, body: absoluteLimits(quota, usageOf(options.volumes)) }
            : resource === 'os-quota-sets' && request.method === 'GET'
              ? { code: 200, body: quotaSet(projectId, quota) }
              : { code: 404, body: { itemNotFound: { message: 'The resource could not be found.', code: 404 } } };
    return send(response, answer.code, answer.body);
  };

  // Nova answers only what `limits show` and `quota show` ask of it, with a nominal quota the runner never reads.
  const compute = (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (!tokens.has(String(request.headers['x-auth-token'] ?? ''))) return send(response, 401, unauthorized);
    if (request.method === 'GET' && path === '/compute/v2.1/limits') return send(response, 200, computeLimits);
    if (request.method === 'GET' && path.startsWith('/compute/v2.1/os-quota-sets/'))
      return send(response, 200, { quota_set: { id: projectId, ...computeQuota } });
    return send(response, 404, { itemNotFound: { message: 'The resource could not be found.', code: 404 } });
  };

  // Neutron answers its version list, the floating IP list and the quota `quota show` reads: no network is ever made here.
  const network = (request: IncomingMessage, response: ServerResponse, path: string, query: URLSearchParams) => {
    if (request.method === 'GET' && (path === '/network' || path === '/network/'))
      return send(response, 200, {
        versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${base}/network/v2.0/` }] }],
      });
    if (!tokens.has(String(request.headers['x-auth-token'] ?? ''))) return send(response, 401, unauthorized);
    requests.push(`${request.method} ${path}`);
    if (request.method === 'GET' && path === '/network/v2.0/floatingips') {
      const address = query.get('floating_ip_address');
      const found = (options.floatingIps?.() ?? []).filter((ip) => !address || ip.address === address);
      return send(response, 200, { floatingips: found.map((ip) => floatingIpBody(ip, projectId)) });
    }
    if (request.method === 'GET' && /^\/network\/v2\.0\/quotas\/[^/]+(\/details)?$/.test(path))
      return send(response, 200, { quota: networkQuota });
    return send(response, 404, {
      NeutronError: { type: 'HTTPNotFound', message: 'The resource could not be found.', detail: '' },
    });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path.startsWith('/identity')) return void identity(request, response, path);
    if (path.startsWith('/volume/')) return void volume(request, response, path, url.searchParams);
    if (path.startsWith('/compute/')) return void compute(request, response, path);
    if (path === '/network' || path.startsWith('/network/'))
      return void network(request, response, path, url.searchParams);
    if (path === '/image' || path === '/image/')
      return send(response, 300, {
        versions: [{ id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: `${base}/image/v2/` }] }],
      });
    send(response, 404, { error: { code: 404, message: 'The resource could not be found.', title: 'Not Found' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authUrl: `${base}/identity/v3`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
