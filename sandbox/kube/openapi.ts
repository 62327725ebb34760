import { createHash } from 'node:crypto';
import type { ResourceType } from './resource-catalog.js';

function groupVersionKey(type: ResourceType): string {
  return type.group === '' ? `api/${type.version}` : `apis/${type.group}/${type.version}`;
}

const queryParameter = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
// kubectl validates on the server when the write operations accept fieldValidation; it then needs no schemas.
const writeParameters = ['dryRun', 'fieldManager', 'fieldValidation'].map(queryParameter);

function operation(type: ResourceType, action: string, parameters: object[] = []): object {
  return {
    operationId: `${action}${type.kind}`,
    parameters,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version: type.version, kind: type.kind },
  };
}

function pathsFor(type: ResourceType): Record<string, object> {
  const base = `/${groupVersionKey(type)}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.plural}`;
  return {
    [base]: { get: operation(type, 'list'), post: operation(type, 'post', writeParameters) },
    [`${base}/{name}`]: {
      get: operation(type, 'get'),
      put: operation(type, 'put', writeParameters),
      patch: operation(type, 'patch', [...writeParameters, queryParameter('force')]),
      delete: operation(type, 'delete', [queryParameter('dryRun')]),
    },
  };
}

/** One OpenAPI v3 document per group version, with the paths and GVK markers kubectl looks for. */
export function openApiDocuments(types: readonly ResourceType[], gitVersion: string): Map<string, object> {
  const documents = new Map<
    string,
    { openapi: string; info: object; paths: Record<string, object>; components: object }
  >();
  for (const type of types) {
    const key = groupVersionKey(type);
    if (!documents.has(key))
      documents.set(key, {
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: gitVersion },
        paths: {},
        components: { schemas: {} },
      });
    Object.assign(documents.get(key)!.paths, pathsFor(type));
  }
  return documents;
}

/** `/openapi/v3`: where each group version's document lives, with a content hash as real servers give. */
export function openApiIndex(documents: Map<string, object>): object {
  const paths: Record<string, object> = {};
  for (const [key, document] of documents) {
    const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').slice(0, 32).toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}
