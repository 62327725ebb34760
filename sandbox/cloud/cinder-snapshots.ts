import type { IncomingMessage } from 'node:http';
import { quotaRefusal, usageOf, type CinderQuota } from './cinder-quota.js';
import { badRequest, itemNotFound, snapshotNeedsForce } from './cinder-refusals.js';
import type { CloudSnapshot, VolumeBackend } from './volume-backend.js';

/** What a route answers: a status code and a body. */
export interface CinderAnswer {
  code: number;
  body?: unknown;
}

export interface SnapshotRouteContext {
  volumes: VolumeBackend;
  quota: CinderQuota;
  projectId: string;
  time: (iso: string) => string;
  record?: (operation: { op: 'create' | 'delete'; kind: 'snapshot'; id: string; name: string }) => void;
}

export function snapshotBody(
  context: SnapshotRouteContext,
  snapshot: CloudSnapshot,
  status: string = snapshot.status,
): object {
  return {
    id: snapshot.id,
    name: snapshot.name,
    description: null,
    status,
    size: snapshot.sizeGi,
    volume_id: snapshot.volumeId,
    metadata: snapshot.metadata,
    created_at: context.time(snapshot.createdAt),
    updated_at: context.time(snapshot.createdAt),
    'os-extended-snapshot-attributes:progress': status === 'creating' ? '0%' : '100%',
    'os-extended-snapshot-attributes:project_id': context.projectId,
  };
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.every(([, each]) => typeof each === 'string')
    ? (Object.fromEntries(entries) as Record<string, string>)
    : undefined;
}

/** Cinder's `force`: a boolean, or a string Cinder's strutils reads as one. */
function isForced(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^(true|1|yes|y|on|t)$/i.test(value));
}

/** The `/snapshots` routes: create (quota and volume state checked as Cinder does), list, show, delete. */
export function snapshotRoute(
  context: SnapshotRouteContext,
  request: IncomingMessage,
  rest: string,
  query: URLSearchParams,
  body: any,
): CinderAnswer {
  if (request.method === 'GET' && (rest === '' || rest === 'detail')) {
    const name = query.get('name');
    const volumeId = query.get('volume_id');
    const found = context.volumes
      .snapshots()
      .filter((each) => (!name || each.name === name) && (!volumeId || each.volumeId === volumeId))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { code: 200, body: { snapshots: found.map((each) => snapshotBody(context, each)) } };
  }
  if (request.method === 'POST' && rest === '') {
    const asked = body?.snapshot;
    if (!asked || typeof asked.volume_id !== 'string')
      return { code: 400, body: badRequest('Invalid input received: volume_id is required') };
    const metadata = stringMap(asked.metadata);
    if (!metadata) return { code: 400, body: badRequest('Invalid input received: metadata must be a map of strings') };
    const volume = context.volumes.get(asked.volume_id);
    if (!volume) return { code: 404, body: itemNotFound('Volume', asked.volume_id) };
    if (volume.status !== 'available' && !isForced(asked.force))
      return { code: 400, body: snapshotNeedsForce(volume.id, volume.status) };
    const refusal = quotaRefusal(context.quota, () => usageOf(context.volumes), 'snapshot', volume.sizeGi);
    if (refusal) return { code: 413, body: refusal };
    const snapshot = context.volumes.createSnapshot(volume.id, String(asked.name ?? ''), metadata);
    context.record?.({ op: 'create', kind: 'snapshot', id: snapshot.id, name: snapshot.name });
    // Cinder answers while the copy is being made; later reads see it available.
    return { code: 202, body: { snapshot: snapshotBody(context, snapshot, 'creating') } };
  }
  const snapshot = context.volumes.getSnapshot(rest);
  if (!snapshot) return { code: 404, body: itemNotFound('Snapshot', rest) };
  if (request.method === 'GET') return { code: 200, body: { snapshot: snapshotBody(context, snapshot) } };
  if (request.method === 'DELETE') {
    context.volumes.deleteSnapshot(snapshot.id);
    context.record?.({ op: 'delete', kind: 'snapshot', id: snapshot.id, name: snapshot.name });
    return { code: 202 };
  }
  return { code: 405, body: badRequest(`The method ${request.method} is not allowed here.`) };
}
