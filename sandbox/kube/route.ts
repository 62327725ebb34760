import type { ResourceType } from './resource-catalog.js';

export interface ResourceRoute {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * Parses `/api/v1/namespaces/jhub/secrets/x` and `/apis/apps/v1/deployments` into the resource,
 * namespace, name and subresource they address; undefined for anything else.
 */
export function parseResourcePath(path: string, types: readonly ResourceType[]): ResourceRoute | undefined {
  const parts = path.split('/').filter(Boolean);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  const resource = types.find((type) => type.group === group && type.version === version && type.plural === plural);
  if (!resource) return undefined;
  // `/api/v1/namespaces/x` addresses the namespace itself.
  if (!resource.namespaced && namespace !== undefined) return undefined;
  return {
    resource,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

export function namespaceItselfRoute(path: string, types: readonly ResourceType[]): ResourceRoute | undefined {
  const match = /^\/api\/v1\/namespaces(?:\/([^/]+))?(?:\/(status|finalize))?$/.exec(path);
  if (!match) return undefined;
  const resource = types.find((type) => type.kind === 'Namespace')!;
  return { resource, ...(match[1] ? { name: match[1] } : {}), ...(match[2] ? { subresource: match[2] } : {}) };
}
