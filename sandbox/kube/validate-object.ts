import { StoreError, type KubeObject } from './object-store.js';

const goType = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;

function checkStrings(map: unknown, field: string): void {
  if (map === undefined || map === null) return;
  for (const value of Object.values(map as Record<string, unknown>)) {
    if (typeof value !== 'string')
      throw new StoreError(
        400,
        'BadRequest',
        `json: cannot unmarshal ${goType(value)} into Go struct field ${field} of type string`,
      );
  }
}

/** The real server decodes into Go structs, so a label or annotation that is not a string (a chart's unquoted `1234`) is refused. */
export function checkObjectShape(object: KubeObject): void {
  checkStrings(object.metadata?.labels, 'ObjectMeta.metadata.labels');
  checkStrings(object.metadata?.annotations, 'ObjectMeta.metadata.annotations');
  const template = object.spec?.template?.metadata;
  checkStrings(template?.labels, 'ObjectMeta.spec.template.metadata.labels');
  checkStrings(template?.annotations, 'ObjectMeta.spec.template.metadata.annotations');
  if (object.kind === 'ConfigMap') checkStrings(object.data, 'ConfigMap.data');
}
