import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { coreVersions, groupList, resourceList, serverVersion } from './discovery.js';
import { send } from './http-body.js';
import { HttpError } from './http-error.js';
import { openApiDocuments, openApiIndex } from './openapi.js';
import type { ResourceType } from './resource-catalog.js';
import { namespaceItselfRoute, parseResourcePath, type ResourceRoute } from './route.js';

export interface RouterOptions {
  /** The path the API answers under. */
  instancePath: string;
  types: ResourceType[];
  version?: { major: string; minor: string; gitVersion: string };
  staticFiles?: { prefix: string; dir: string };
  admitRequest?: () => boolean;
  log?: (line: string) => void;
  handleResource(request: IncomingMessage, response: ServerResponse, route: ResourceRoute, url: URL): Promise<void>;
}

/** Routes a request: the server's own path, static files, /version, OpenAPI, discovery, then the resources. */
export function apiRouter(
  options: RouterOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { instancePath, types, handleResource } = options;
  let documents: Map<string, object> | undefined;
  let documentsFor = '';
  // Rebuilt when CRDs add kinds, so kubectl sees them as a real server would.
  const openApi = () => {
    const key = types.map((type) => `${type.group}/${type.version}/${type.plural}`).join(',');
    if (documentsFor !== key) {
      documents = openApiDocuments(types, options.version?.gitVersion ?? serverVersion.gitVersion);
      documentsFor = key;
    }
    return documents!;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The API answers under this server's own path, as behind a proxy: kubectl and helm key their
    // discovery caches by the whole server URL, so no cache one server left can speak for another
    // that got the same port later. Static files (the chart repository) answer at the root too.
    if (
      request.url === instancePath ||
      request.url?.startsWith(`${instancePath}/`) ||
      request.url?.startsWith(`${instancePath}?`)
    )
      request.url = request.url.slice(instancePath.length) || '/';
    else if (!(options.staticFiles && request.url?.startsWith(options.staticFiles.prefix)))
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    const files = options.staticFiles;
    if (files && request.url?.startsWith(files.prefix)) {
      const relative = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname.slice(files.prefix.length));
      if (relative.split('/').includes('..')) throw new HttpError(404, 'NotFound', 'not found');
      try {
        const body = await readFile(join(files.dir, relative));
        response.writeHead(200, { 'content-length': body.length });
        response.end(body);
      } catch {
        throw new HttpError(404, 'NotFound', `${relative} not found`);
      }
      return;
    }
    if (options.admitRequest && !options.admitRequest()) {
      request.socket.destroy();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    options.log?.(`${request.method} ${url.pathname}${url.search}`);
    const path = url.pathname.replace(/\/$/, '');
    if (path === '/version') return send(response, 200, { ...serverVersion, ...options.version });
    // kubectl validates a `kind: List` through OpenAPI v2 (protobuf only); an empty Document has no
    // definitions, so kubectl skips client-side checks of the items and the server still validates them.
    if (path === '/openapi/v2') {
      response.writeHead(200, {
        'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
        'content-length': 0,
      });
      response.end();
      return;
    }
    if (path === '/openapi/v3') return send(response, 200, openApiIndex(openApi()));
    if (path.startsWith('/openapi/v3/')) {
      const document = openApi().get(path.slice('/openapi/v3/'.length));
      if (document) return send(response, 200, document);
    }
    if (path === '/api') return send(response, 200, coreVersions());
    if (path === '/apis') return send(response, 200, groupList(types));
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (discovery) {
      const list = discovery[1]
        ? resourceList(types, '', discovery[1])
        : resourceList(types, discovery[2]!, discovery[3]!);
      if (list) return send(response, 200, list);
    }
    const route = namespaceItselfRoute(path, types) ?? parseResourcePath(path, types);
    if (route) return handleResource(request, response, route, url);
    throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
  }

  return handle;
}
