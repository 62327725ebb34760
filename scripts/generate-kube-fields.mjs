// @ts-check
// Writes sandbox/kube/schemas/kube-fields.json: the fields of every kind the simulated API
// server serves, taken from the Kubernetes OpenAPI schemas as the official JavaScript client
// (@kubernetes/client-node) carries them, so the server's field validation is data, not rules.
// Run after `npm run build` when the client or the served kinds change: node scripts/generate-kube-fields.mjs [out]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const clientDir = `${root}/node_modules/@kubernetes/client-node`;
const models = await import(`${clientDir}/dist/gen/models/all.js`);
const { builtinResourceTypes, versionedResourceTypes } = await import(`${root}/dist/sandbox/kube/resource-catalog.js`);
const clientVersion = JSON.parse(readFileSync(`${clientDir}/package.json`, 'utf8')).version;
const specRelease = /OpenAPI spec version: (\S+)/.exec(
  readFileSync(`${clientDir}/dist/gen/models/V1Pod.js`, 'utf8'),
)?.[1];

const capitalised = (/** @type {string} */ word) => word.charAt(0).toUpperCase() + word.slice(1);
/** The client's name for a kind: prefixed with its group where two groups share the kind (CoreV1Event, EventsV1Event). */
/** @param {string} group @param {string} version @param {string} kind */
function modelFor(group, version, kind) {
  const prefixed = `${capitalised(group === '' ? 'core' : (group.split('.')[0] ?? group))}${capitalised(version)}${kind}`;
  const plain = `${capitalised(version)}${kind}`;
  return [prefixed, plain].find((name) => models[name]?.attributeTypeMap);
}

/** The model names a type string refers to: `V1Container`, `Array<V1Container>`, `{ [key: string]: V1Counter; }`. */
const referenced = (/** @type {string} */ type) =>
  [...type.matchAll(/[A-Z][A-Za-z0-9]*/g)].map((match) => match[0]).filter((name) => models[name]?.attributeTypeMap);

/** @typedef {{ group: string, version: string, kind: string }} ServedType */
/** @typedef {{ baseName: string, type: string, format?: string }} ModelField */
/** @type {Record<string, string>} */
const kinds = {};
/** @type {Record<string, Record<string, string>>} */
const fields = {};
/** @type {string[]} */
const queue = [];
/** @type {ServedType[]} */
const served = [
  ...builtinResourceTypes,
  ...(versionedResourceTypes ?? []).map((/** @type {{ type: ServedType }} */ entry) => entry.type),
];
for (const type of served) {
  const model = modelFor(type.group, type.version, type.kind);
  if (!model) continue;
  kinds[`${type.group === '' ? '' : `${type.group}/`}${type.version}/${type.kind}`] = model;
  queue.push(model);
}
while (queue.length > 0) {
  const model = /** @type {string} */ (queue.shift());
  if (fields[model]) continue;
  /** @type {ModelField[]} */
  const attributes = models[model].attributeTypeMap;
  fields[model] = Object.fromEntries(
    attributes.map((field) => [field.baseName, field.format ? `${field.type}:${field.format}` : field.type]),
  );
  for (const field of attributes) queue.push(...referenced(field.type));
}

const sorted = (/** @type {Record<string, unknown>} */ object) =>
  Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
const out = process.argv[2] ?? `${root}/sandbox/kube/schemas/kube-fields.json`;
writeFileSync(
  out,
  `${JSON.stringify({ source: `@kubernetes/client-node ${clientVersion} (Kubernetes OpenAPI ${specRelease})`, kinds: sorted(kinds), models: sorted(fields) }, null, 1)}\n`,
);
