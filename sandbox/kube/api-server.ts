import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { holdIfAsked, type HoldPoint } from '../support/hold-point.js';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { checkObjectShape } from './validate-object.js';
import { applyFields, decodeFields, fieldValidationOf, type Warnings } from './field-validation.js';
import { HttpError } from './http-error.js';
import type { WorkloadBehaviour } from './workload-behaviour.js';
import { admitCreate, validateUpdate } from './admission.js';
import { decodeKubeProtobuf, UnsupportedProtobuf } from './decode-protobuf.js';
import { coreVersions, groupList, resourceList, serverVersion } from './discovery.js';
import { statusBody, successStatus } from './kube-status.js';
import { openApiDocuments, openApiIndex } from './openapi.js';
import { parseLabelSelector } from './label-selector.js';
import { asTable, wantsTable } from './table-output.js';
import { ObjectStore, StoreError, type KubeObject } from './object-store.js';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from './patches.js';
import { applyCreate, applyUpdate } from './server-side-apply.js';
import { apiVersionOf, resourceTypesOf, type ResourceType } from './resource-catalog.js';
import { memoryVolumeBackend, type VolumeBackend } from '../cloud/volume-backend.js';
import { allControllers } from './controllers/all-controllers.js';
import { startReconcileLoop } from './controllers/reconcile-loop.js';
import { namespaceItselfRoute, parseResourcePath, type ResourceRoute } from './route.js';

export interface KubeApiServer {
  url: string;
  store: ObjectStore;
  types: ResourceType[];
  /** Requests that would change something (create, update, patch, delete), server-side dry runs excluded. */
  mutatingRequests: { method: string; path: string }[];
  /** The simulated cloud's Cinder volumes, which provisioned PVs point at. */
  volumes: VolumeBackend;
  /** Runs the controllers to a fixed point now instead of after their delay. */
  settle(): void;
  close(): Promise<void>;
}

export interface KubeApiServerOptions {
  types?: ResourceType[];
  store?: ObjectStore;
  volumes?: VolumeBackend;
  namespaceTerminationMs?: number;
  /** How long controllers wait after a change before reconciling; false runs none. */
  controllerDelayMs?: number | false;
  /**
   * Called before each API request: false while no cluster exists (destroyed, not yet installed)
   * drops the connection, as to a dead host; the site also swaps in a fresh cluster here after a rebuild.
   */
  admitRequest?: () => boolean;
  log?: (line: string) => void;
  /** The port to listen on (a site keeps its URL from run to run); random when absent. */
  port?: number;
  /** The path the API answers under (a site keeps it from run to run, as it keeps its port); a new one for each server when absent. */
  path?: string;
  /** The address the cloud gives LoadBalancer Services (the site's floating IP); undefined: no load-balancer provider. */
  loadBalancerAddress?: () => string | undefined;
  /** Whether the site's registry has an image (pods of any other stay in ImagePullBackOff); undefined: every image pulls. */
  imageAvailable?: (image: string) => boolean;
  /** How long Jobs run and which workloads fail. */
  workloads?: WorkloadBehaviour;
  /** What `/version` reports: the Kubernetes release the toolchain's kubectl expects. */
  version?: { major: string; minor: string; gitVersion: string };
  /** Files served as they are under a path prefix: the sandbox's chart repository. */
  staticFiles?: { prefix: string; dir: string };
  /** Where a test holds a write (`kube-write:<METHOD> <namespace>/<plural>`) until it releases it. */
  hold?: HoldPoint;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function parseObject(body: Buffer, contentType: string): any {
  if (contentType.includes('protobuf')) {
    try {
      return decodeKubeProtobuf(body);
    } catch (error) {
      if (error instanceof UnsupportedProtobuf) throw new HttpError(415, 'UnsupportedMediaType', error.message);
      throw new HttpError(400, 'BadRequest', `cannot decode the protobuf body: ${(error as Error).message}`);
    }
  }
  const text = body.toString('utf8');
  if (contentType.includes('yaml')) return parseYaml(text);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}

function matchesFieldSelector(object: KubeObject, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [path, value] = term.split(/!?=+/) as [string, string];
    const negate = term.includes('!=');
    const actual = path.split('.').reduce<any>((current, key) => current?.[key], object);
    return negate ? String(actual) !== value : String(actual ?? '') === value;
  });
}

async function listen(server: Server, port: number | undefined): Promise<void> {
  const attempt = (which: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(which, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  if (!port) return attempt(0);
  try {
    await attempt(port);
  } catch (error) {
    throw new Error(
      `port ${port} on 127.0.0.1 is in use (${(error as NodeJS.ErrnoException).code}); set sandbox.port in the inventory to another one`,
    );
  }
}

/** A Kubernetes API server on 127.0.0.1 that real kubectl and helm can drive; only loopback, random port. */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const instancePath = options.path ?? `/cluster-${randomUUID().slice(0, 8)}`;
  const types = options.types ?? resourceTypesOf(Number(options.version?.minor ?? serverVersion.minor));
  const store = options.store ?? new ObjectStore();
  const volumes = options.volumes ?? memoryVolumeBackend();
  const controllers =
    options.controllerDelayMs === false
      ? undefined
      : startReconcileLoop(
          {
            store,
            types,
            volumes,
            ...(options.loadBalancerAddress ? { loadBalancerAddress: options.loadBalancerAddress } : {}),
            ...(options.imageAvailable ? { imageAvailable: options.imageAvailable } : {}),
            ...(options.workloads ? { workloads: options.workloads } : {}),
          },
          allControllers,
          {
            delayMs: options.controllerDelayMs ?? 20,
            onError: (error) => options.log?.(`controller error: ${error.stack ?? error.message}`),
          },
        );
  const mutatingRequests: { method: string; path: string }[] = [];
  /** How many writes each hold point has seen, so a test can hold the n-th. */
  const writesAt = new Map<string, number>();
  const namespaceType = types.find((type) => type.kind === 'Namespace')!;
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    if (!store.find(namespaceType, undefined, name))
      store.create(namespaceType, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
  }

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

  function requireNamespace(namespace: string | undefined): void {
    if (namespace === undefined) return;
    const found = store.find(namespaceType, undefined, namespace);
    if (!found) throw new HttpError(404, 'NotFound', `namespaces "${namespace}" not found`);
    if (found.status?.phase === 'Terminating') {
      throw new HttpError(
        403,
        'Forbidden',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  const pendingTimers = new Set<NodeJS.Timeout>();
  const later = (work: () => void, ms: number) => {
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      work();
    }, ms);
    pendingTimers.add(timer);
  };

  /** Like the namespace controller: the namespace is Terminating at once, its contents and itself go shortly after. */
  function terminateNamespace(name: string): KubeObject {
    const current = store.get(namespaceType, undefined, name);
    const terminating = store.update(namespaceType, undefined, {
      ...current,
      metadata: { ...current.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
      status: { phase: 'Terminating' },
    });
    const removeContents = () => {
      let left = 0;
      for (const type of types.filter((candidate) => candidate.namespaced)) {
        for (const object of store.list(type, name)) {
          store.delete(type, name, object.metadata.name);
          if (store.find(type, name, object.metadata.name)) left += 1;
        }
      }
      // Contents their finalizers keep (a claim a pod still mounts) hold the namespace in Terminating.
      if (left > 0) return later(removeContents, 200);
      if (store.find(namespaceType, undefined, name)) store.delete(namespaceType, undefined, name);
    };
    later(removeContents, options.namespaceTerminationMs ?? 1000);
    return terminating;
  }

  async function handleResource(
    request: IncomingMessage,
    response: ServerResponse,
    route: ResourceRoute,
    url: URL,
  ): Promise<void> {
    const { resource, namespace, name } = route;
    const method = request.method ?? 'GET';
    const dryRun = url.searchParams.getAll('dryRun').includes('All');
    const contentType = String(request.headers['content-type'] ?? 'application/json');
    if (method !== 'GET' && !dryRun) {
      const point = `kube-write:${method} ${namespace ? `${namespace}/` : ''}${resource.plural}`;
      const earlier = writesAt.get(point) ?? 0;
      writesAt.set(point, earlier + 1);
      await holdIfAsked(options.hold, point, () => earlier);
      mutatingRequests.push({ method, path: url.pathname });
    }
    const directive = method === 'GET' || method === 'DELETE' ? 'Ignore' : fieldValidationOf(url);
    const warnings: Warnings = [];
    // Sent with whatever answer follows, as the API server's warning headers are.
    const warn = () => {
      if (warnings.length)
        response.setHeader(
          'Warning',
          warnings.map((warning) => `299 - ${JSON.stringify(warning)}`),
        );
    };

    if (method === 'GET' && !name) {
      const labels = url.searchParams.get('labelSelector');
      const matchesLabels = labels ? parseLabelSelector(labels) : () => true;
      const matches = (object: KubeObject) =>
        matchesLabels(object.metadata.labels) && matchesFieldSelector(object, url.searchParams.get('fieldSelector'));
      if (['true', '1'].includes(url.searchParams.get('watch') ?? ''))
        return watch(response, resource, namespace, matches, url);
      // Serialised as they are stored, without a copy of each: a list of 10,000 volumes is read, never changed.
      const items = store.scan(resource, namespace).filter(matches);
      if (wantsTable(request.headers.accept, resource.kind, resource.group))
        return send(response, 200, asTable(resource.kind, items, store.resourceVersion));
      return send(response, 200, {
        kind: `${resource.kind}List`,
        apiVersion: apiVersionOf(resource),
        metadata: { resourceVersion: store.resourceVersion },
        items,
      });
    }
    if (method === 'GET') {
      const object = store.get(resource, namespace, name!);
      return send(
        response,
        200,
        wantsTable(request.headers.accept, resource.kind, resource.group)
          ? asTable(resource.kind, [object], store.resourceVersion)
          : object,
      );
    }

    if (method === 'POST') {
      requireNamespace(resource.namespaced ? namespace : undefined);
      const object = admitCreate(
        store,
        types,
        resource,
        decodeFields(parseObject(await readBody(request), contentType) as KubeObject, directive, warnings),
      );
      checkObjectShape(object);
      warn();
      if (!object?.metadata?.name && object?.metadata?.generateName)
        object.metadata.name = `${object.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
      if (dryRun) {
        if (store.find(resource, namespace, object.metadata?.name))
          throw new StoreError(409, 'AlreadyExists', `${resource.plural} "${object.metadata.name}" already exists`);
        return send(response, 201, {
          ...object,
          metadata: { ...object.metadata, ...(resource.namespaced ? { namespace } : {}) },
        });
      }
      return send(response, 201, store.create(resource, namespace, object));
    }

    if (method === 'PUT') {
      const object = decodeFields(parseObject(await readBody(request), contentType) as KubeObject, directive, warnings);
      checkObjectShape(object);
      warn();
      if (route.subresource === 'status') {
        const current = store.get(resource, namespace, name!);
        const updated = { ...current, status: object.status };
        return send(response, 200, dryRun ? updated : store.update(resource, namespace, updated));
      }
      validateUpdate(resource, store.get(resource, namespace, name!), object);
      if (dryRun) return send(response, 200, object);
      return send(
        response,
        200,
        store.update(resource, namespace, { ...object, metadata: { ...object.metadata, name } }),
      );
    }

    if (method === 'PATCH') {
      const body = await readBody(request);
      const current = store.find(resource, namespace, name!);
      let next: KubeObject;
      if (contentType.startsWith('application/apply-patch')) {
        const applied = applyFields(parseObject(body, 'yaml') as KubeObject, directive, warnings, namespace);
        checkObjectShape(applied);
        warn();
        const manager = url.searchParams.get('fieldManager') ?? 'unknown';
        if (!current) {
          requireNamespace(resource.namespaced ? namespace : undefined);
          const admitted = admitCreate(store, types, resource, applyCreate(applied, manager));
          return send(response, 201, dryRun ? admitted : store.create(resource, namespace, admitted));
        }
        next = applyUpdate(current, applied, manager, url.searchParams.get('force') === 'true');
      } else {
        if (!current)
          throw new StoreError(
            404,
            'NotFound',
            `${resource.plural}${resource.group ? `.${resource.group}` : ''} "${name}" not found`,
          );
        const patch = parseObject(body, contentType);
        if (contentType.startsWith('application/json-patch')) next = jsonPatch(current, patch);
        else if (contentType.startsWith('application/strategic-merge-patch'))
          next = strategicMergePatch(current, patch);
        else next = jsonMergePatch(current, patch);
        next = decodeFields(next, directive, warnings);
        warn();
      }
      checkObjectShape(next);
      if (route.subresource === 'status') next = { ...current!, status: next.status };
      else validateUpdate(resource, current!, next);
      next.metadata = { ...next.metadata, resourceVersion: current!.metadata.resourceVersion, name };
      if (dryRun) return send(response, 200, next);
      if (JSON.stringify(next) === JSON.stringify(current)) {
        mutatingRequests.pop();
        return send(response, 200, current);
      }
      return send(response, 200, store.update(resource, namespace, next));
    }

    if (method === 'DELETE') {
      const current = store.get(resource, namespace, name!);
      if (dryRun) return send(response, 200, current);
      if (resource.kind === 'Namespace') return send(response, 200, terminateNamespace(name!));
      const deleted = store.delete(resource, namespace, name!);
      // An object its finalizers keep comes back as it now is, being deleted, as the real server answers.
      if (store.find(resource, namespace, name!)) return send(response, 200, deleted);
      return send(response, 200, successStatus({ name, kind: resource.plural, uid: deleted.metadata.uid }));
    }
    throw new HttpError(405, 'MethodNotAllowed', `method ${method} is not supported`);
  }

  const openWatches = new Set<ServerResponse>();

  /** A watch stream: one JSON event per line, replayed from resourceVersion or starting with what exists. */
  function watch(
    response: ServerResponse,
    resource: ResourceType,
    namespace: string | undefined,
    matches: (object: KubeObject) => boolean,
    url: URL,
  ): void {
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // Clients block until the headers arrive, and a quiet watch may not write for a long time.
    response.flushHeaders();
    const send = (type: string, object: KubeObject) => response.write(`${JSON.stringify({ type, object })}\n`);
    const relevant = (change: { resource: ResourceType; object: KubeObject }) =>
      change.resource === resource &&
      (namespace === undefined || change.object.metadata.namespace === namespace) &&
      matches(change.object);
    const from = url.searchParams.get('resourceVersion');
    if (from && from !== '0') {
      for (const change of store.changesSince(Number(from))) if (relevant(change)) send(change.type, change.object);
    } else {
      for (const object of store.list(resource, namespace).filter(matches)) send('ADDED', object);
    }
    // A streaming list (helm 4's watcher) counts as synced only after this bookmark.
    if (url.searchParams.get('sendInitialEvents') === 'true') {
      send('BOOKMARK', {
        apiVersion: apiVersionOf(resource),
        kind: resource.kind,
        metadata: { resourceVersion: store.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
    const unsubscribe = store.onChange((change) => {
      if (relevant(change)) send(change.type, change.object);
    });
    openWatches.add(response);
    const end = () => {
      unsubscribe();
      openWatches.delete(response);
      clearTimeout(timer);
      if (!response.writableEnded) response.end();
    };
    const timer = setTimeout(end, Number(url.searchParams.get('timeoutSeconds') ?? 1800) * 1000);
    response.on('close', end);
  }

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

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof StoreError)
        return send(response, error.code, statusBody(error.code, error.reason, error.message, error.details));
      if (error instanceof HttpError)
        return send(response, error.code, statusBody(error.code, error.reason, error.message));
      send(response, 500, statusBody(500, 'InternalError', (error as Error).message));
    });
  });
  await listen(server, options.port);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${instancePath}`,
    store,
    types,
    mutatingRequests,
    volumes,
    settle: () => controllers?.settle(),
    close: () =>
      new Promise<void>((resolve) => {
        controllers?.stop();
        for (const timer of pendingTimers) clearTimeout(timer);
        for (const open of openWatches) open.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
