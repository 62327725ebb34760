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

const capitalised = (word) => word.charAt(0).toUpperCase() + word.slice(1);
/** The client's name for a kind: prefixed with its group where two groups share the kind (CoreV1Event, EventsV1Event). */
function modelFor(group, version, kind) {
  const prefixed = `${capitalised(group === '' ? 'core' : group.split('.')[0])}${capitalised(version)}${kind}`;
  const plain = `${capitalised(version)}${kind}`;
  return [prefixed, plain].find((name) => models[name]?.attributeTypeMap);
}

/** The model names a type string refers to: `V1Container`, `Array<V1Container>`, `{ [key: string]: V1Counter; }`. */
const referenced = (type) =>
  [...type.matchAll(/[A-Z][A-Za-z0-9]*/g)].map((match) => match[0]).filter((name) => models[name]?.attributeTypeMap);

const kinds = {};
const fields = {};
const queue = [];
for (const type of [...builtinResourceTypes, ...(versionedResourceTypes ?? []).map((entry) => entry.type)]) {
  const model = modelFor(type.group, type.version, type.kind);
  if (!model) continue;
  kinds[`${type.group === '' ? '' : `${type.group}/`}${type.version}/${type.kind}`] = model;
  queue.push(model);
}
while (queue.length > 0) {
  const model = queue.shift();
  if (fields[model]) continue;
  fields[model] = Object.fromEntries(
    models[model].attributeTypeMap.map((field) => [
      field.baseName,
      field.format ? `${field.type}:${field.format}` : field.type,
    ]),
  );
  for (const field of models[model].attributeTypeMap) queue.push(...referenced(field.type));
}

const sorted = (object) => Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
const out = process.argv[2] ?? `${root}/sandbox/kube/schemas/kube-fields.json`;
writeFileSync(
  out,
  `${JSON.stringify({ source: `@kubernetes/client-node ${clientVersion} (Kubernetes OpenAPI ${specRelease})`, kinds: sorted(kinds), models: sorted(fields) }, null, 1)}\n`,
);
