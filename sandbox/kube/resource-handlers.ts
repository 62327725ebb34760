import type { IncomingMessage, ServerResponse } from 'node:http';
import { holdIfAsked, type HoldPoint } from '../support/hold-point.js';
import { admitCreate, validateUpdate } from './admission.js';
import { applyFields, decodeFields, fieldValidationOf, type Warnings } from './field-validation.js';
import { parseObject, readBody, send } from './http-body.js';
import { HttpError } from './http-error.js';
import { successStatus } from './kube-status.js';
import { parseLabelSelector } from './label-selector.js';
import type { NamespaceLifecycle } from './namespace-lifecycle.js';
import { qualifiedResource, StoreError, type KubeObject, type ObjectStore } from './object-store.js';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from './patches.js';
import { apiVersionOf, type ResourceType } from './resource-catalog.js';
import type { ResourceRoute } from './route.js';
import { applyCreate, applyUpdate } from './server-side-apply.js';
import { asTable, wantsTable } from './table-output.js';
import { checkObjectShape } from './validate-object.js';

/** What the resource handlers read and record, from the server that routes requests to them. */
export interface ResourceContext {
  store: ObjectStore;
  types: ResourceType[];
  namespaces: NamespaceLifecycle;
  /** Where a test holds a write (`kube-write:<METHOD> <namespace>/<plural>`) until it releases it. */
  hold?: HoldPoint;
  /** Requests that would change something, server-side dry runs excluded. */
  mutatingRequests: { method: string; path: string }[];
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

/**
 * The REST verbs on a kind's objects (list, watch, get, create, replace, patch, delete) as the real
 * API server answers them, and the watches it holds open until the server closes.
 */
export function resourceHandlers(context: ResourceContext): {
  handleResource(request: IncomingMessage, response: ServerResponse, route: ResourceRoute, url: URL): Promise<void>;
  closeWatches(): void;
} {
  const { store, types, namespaces, mutatingRequests } = context;
  /** How many writes each hold point has seen, so a test can hold the n-th. */
  const writesAt = new Map<string, number>();
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
      await holdIfAsked(context.hold, point, () => earlier);
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
      namespaces.require(resource.namespaced ? namespace : undefined);
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
          throw new StoreError(
            409,
            'AlreadyExists',
            `${qualifiedResource(resource)} "${object.metadata.name}" already exists`,
          );
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
          namespaces.require(resource.namespaced ? namespace : undefined);
          const admitted = admitCreate(store, types, resource, applyCreate(applied, manager));
          return send(response, 201, dryRun ? admitted : store.create(resource, namespace, admitted));
        }
        next = applyUpdate(current, applied, manager, url.searchParams.get('force') === 'true');
      } else {
        if (!current) throw new StoreError(404, 'NotFound', `${qualifiedResource(resource)} "${name}" not found`);
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
      if (resource.kind === 'Namespace') return send(response, 200, namespaces.terminate(name!));
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

  return {
    handleResource,
    closeWatches() {
      for (const open of openWatches) open.end();
    },
  };
}
