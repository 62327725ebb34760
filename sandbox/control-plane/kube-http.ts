import { Agent, request } from 'node:https';
import type { ResourceType } from '../kube/resource-catalog.js';

export interface KubeResponse {
  status: number;
  body: any;
}

/** Where a kind's objects live in the API: `/api/v1/...` for the core group, `/apis/<group>/<version>/...` else. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return `${root}${type.namespaced && namespace ? `/namespaces/${namespace}` : ''}/${type.plural}`;
}

export function objectPath(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;
}

/** A small JSON client of a real API server, as the sandbox's cloud controllers and seeding speak to it. */
export class KubeHttp {
  private readonly agent: Agent;

  constructor(
    private readonly url: () => string,
    caPem: string,
    private readonly token: string,
  ) {
    this.agent = new Agent({ keepAlive: true, ca: caPem });
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.url()}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // A plain-text answer (healthz) stays text.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      // A control plane stopped mid-request must not hold the site's controllers (and its stop) forever.
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.end(payload);
    });
  }

  /** The request, or an error naming what the server answered. */
  async must(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const response = await this.request(method, path, body, contentType);
    if (response.status >= 300)
      throw new Error(
        `${method} ${path}: ${response.status} ${typeof response.body === 'object' ? response.body?.message : response.body}`,
      );
    return response.body;
  }

  async list(type: ResourceType, query = ''): Promise<any[]> {
    const body = await this.must('GET', `${collectionPath(type)}${query ? `?${query}` : ''}`);
    return (body.items ?? []).map((item: any) => ({ ...item, apiVersion: body.apiVersion, kind: type.kind }));
  }

  close(): void {
    this.agent.destroy();
  }
}
