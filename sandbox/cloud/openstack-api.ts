import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudVolume, VolumeBackend } from './volume-backend.js';

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
  /** Called for each volume Cinder deletes: the site writes it to the cloud's own record. */
  onDelete?: (volume: CloudVolume) => void;
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

/** Cinder's refusal to delete a volume that is attached (or otherwise busy), word for word. */
export const inUseRefusal =
  'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.';

/**
 * The Keystone and Cinder subset the real `openstack` client needs to list, show and delete volumes,
 * on 127.0.0.1: application-credential tokens, a catalog naming Cinder, and Cinder's own refusals.
 */
export async function startOpenStackApi(options: OpenStackApiOptions): Promise<OpenStackApi> {
  const projectId = options.projectId ?? 'sandboxproject0000000000000000000';
  const tokens = new Set<string>();
  const requests: string[] = [];
  let base = '';

  const volumeBody = (volume: CloudVolume) => {
    const server = volume.status === 'in-use' ? options.attachedTo?.(volume) : undefined;
    return {
      id: volume.id,
      name: volume.name,
      status: volume.status,
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
      snapshot_id: null,
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
      const endpoint = (type: string, name: string) => ({
        type,
        name,
        id: randomUUID(),
        endpoints: [
          {
            id: randomUUID(),
            interface: 'public',
            region: 'RegionOne',
            region_id: 'RegionOne',
            url: `${base}/volume/v3/${projectId}`,
          },
        ],
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

  const notFound = (id: string) => ({ itemNotFound: { message: `Volume ${id} could not be found.`, code: 404 } });

  const volume = (request: IncomingMessage, response: ServerResponse, path: string, query: URLSearchParams) => {
    if (!tokens.has(String(request.headers['x-auth-token'] ?? ''))) return send(response, 401, unauthorized);
    requests.push(`${request.method} ${path}`);
    const prefix = `/volume/v3/${projectId}/volumes`;
    if (!path.startsWith(prefix))
      return send(response, 404, { itemNotFound: { message: 'The resource could not be found.', code: 404 } });
    const rest = path.slice(prefix.length).replace(/^\//, '');
    if (request.method === 'GET' && (rest === '' || rest === 'detail')) {
      const name = query.get('name');
      const status = query.get('status');
      const found = options.volumes
        .list()
        .filter((each) => (!name || each.name === name) && (!status || each.status === status));
      return send(response, 200, {
        volumes: found.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(volumeBody),
      });
    }
    const existing = options.volumes.get(rest);
    if (!existing) return send(response, 404, notFound(rest));
    if (request.method === 'GET') return send(response, 200, { volume: volumeBody(existing) });
    if (request.method === 'DELETE') {
      if (existing.status !== 'available')
        return send(response, 400, { badRequest: { message: inUseRefusal, code: 400 } });
      options.volumes.delete(existing.id);
      options.onDelete?.(existing);
      return send(response, 202);
    }
    return send(response, 405, {
      badRequest: { message: `The method ${request.method} is not allowed here.`, code: 405 },
    });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path.startsWith('/identity')) return void identity(request, response, path);
    if (path.startsWith('/volume/')) return void volume(request, response, path, url.searchParams);
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
