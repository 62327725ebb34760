/**
 * Server-side apply's field sets, in the API server's FieldsV1 form: `f:<field>` for a map key,
 * `k:{"name":"hub"}` for an item of a list merged by key, `.` for the item itself; a list of
 * anything else is owned whole (atomic).
 */
export type FieldsV1 = { [key: string]: FieldsV1 };

/** The keys lists of the core and apps APIs are merged by (their `x-kubernetes-list-map-keys`). */
const listKeys = ['name', 'containerPort', 'mountPath', 'devicePath', 'port', 'ip', 'topologyKey'];

function itemKey(item: unknown): string | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const object = item as Record<string, unknown>;
  const key = listKeys.find((candidate) => object[candidate] !== undefined);
  if (!key) return undefined;
  // The first key only: a protocol the server defaulted must not make a port another item.
  return `k:${JSON.stringify({ [key]: object[key] })}`;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The fields an applied configuration sets, as the server records them: not its identity (kind, name) nor its status. */
export function appliedFields(config: Record<string, unknown>): FieldsV1 {
  const fields = fieldsOf(config);
  for (const key of ['f:apiVersion', 'f:kind', 'f:status']) delete fields[key];
  const metadata = fields['f:metadata'];
  if (metadata) {
    for (const key of ['f:name', 'f:namespace', 'f:resourceVersion', 'f:uid', 'f:managedFields', 'f:creationTimestamp'])
      delete metadata[key];
    if (Object.keys(metadata).length === 0) delete fields['f:metadata'];
  }
  return fields;
}

export function fieldsOf(value: unknown): FieldsV1 {
  if (isMap(value)) {
    const fields: FieldsV1 = {};
    for (const [key, child] of Object.entries(value)) fields[`f:${key}`] = fieldsOf(child);
    return fields;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((item) => itemKey(item) !== undefined)) {
    const fields: FieldsV1 = {};
    for (const item of value) fields[itemKey(item)!] = { '.': {}, ...fieldsOf(item) };
    return fields;
  }
  return {};
}

/** Each owned path as a list of FieldsV1 keys: the leaves, and each keyed item itself. */
export function fieldPaths(fields: FieldsV1, prefix: string[] = []): string[][] {
  return Object.entries(fields).flatMap(([key, child]) => {
    if (key === '.') return [];
    const path = [...prefix, key];
    const children = Object.keys(child).filter((name) => name !== '.');
    const self = key.startsWith('k:') || children.length === 0 ? [path] : [];
    return [...self, ...fieldPaths(child, path)];
  });
}

const pathKey = (path: string[]) => path.join('\u0000');

/** Removes from `object` each path the manager stopped applying and no other manager owns; a keyed item goes whole. */
export function removeAbandoned(
  object: Record<string, unknown>,
  before: FieldsV1,
  after: FieldsV1,
  others: FieldsV1[],
): Record<string, unknown> {
  const kept = new Set([after, ...others].flatMap((fields) => fieldPaths(fields)).map(pathKey));
  const out = structuredClone(object);
  const abandoned = fieldPaths(before).filter((path) => !kept.has(pathKey(path)));
  // An abandoned item goes whole: its own fields (its key among them) are not removed one by one.
  const items = new Set(abandoned.filter((path) => path.at(-1)!.startsWith('k:')).map(pathKey));
  const underItem = (path: string[]) => path.slice(0, -1).some((_, end) => items.has(pathKey(path.slice(0, end + 1))));
  for (const path of abandoned.filter((each) => !underItem(each)).sort((a, b) => b.length - a.length))
    removePath(out, path);
  return out;
}

function removePath(root: unknown, path: string[]): void {
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) {
    parent = step(parent, key);
    if (parent === undefined) return;
  }
  const last = path.at(-1)!;
  if (last.startsWith('f:') && isMap(parent)) delete parent[last.slice(2)];
  else if (last.startsWith('k:') && Array.isArray(parent)) {
    const index = parent.findIndex((item) => itemKey(item) === last);
    if (index >= 0) parent.splice(index, 1);
  }
}

function step(value: unknown, key: string): unknown {
  if (key.startsWith('f:')) return isMap(value) ? value[key.slice(2)] : undefined;
  if (key.startsWith('k:')) return Array.isArray(value) ? value.find((item) => itemKey(item) === key) : undefined;
  return undefined;
}

/** A path as the API server prints it in a conflict: `.data.c`, `.spec.containers[name="hub"].image`. */
export function printPath(path: string[]): string {
  return path
    .map((key) => {
      if (key.startsWith('f:')) return `.${key.slice(2)}`;
      const fields = JSON.parse(key.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(fields)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(',')}]`;
    })
    .join('');
}

/** The value at a path, or undefined where the object has none. */
export function valueAt(root: unknown, path: string[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    value = step(value, key);
    if (value === undefined) return undefined;
  }
  return value;
}

/** The set without the given paths: what another manager keeps after a forced apply takes them. */
export function withoutPaths(fields: FieldsV1, paths: string[][]): FieldsV1 {
  const out = structuredClone(fields);
  for (const path of paths) {
    const chain: FieldsV1[] = [out];
    for (const key of path.slice(0, -1)) {
      const next = chain.at(-1)?.[key];
      if (!next) break;
      chain.push(next);
    }
    if (chain.length !== path.length) continue;
    delete chain.at(-1)![path.at(-1)!];
    // A map left with nothing owned under it is no longer owned either (else it would read as a leaf).
    for (
      let depth = chain.length - 1;
      depth > 0 && Object.keys(chain[depth]!).filter((key) => key !== '.').length === 0;
      depth--
    )
      delete chain[depth - 1]![path[depth - 1]!];
  }
  return out;
}
