type Json = any;

function isMap(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386: maps merge, null deletes, everything else replaces. */
export function jsonMergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = jsonMergePatch(out[key], value);
  }
  return out;
}

/** Fields whose lists Kubernetes merges by a key instead of replacing (the common cases kubectl and helm send). */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  env: 'name',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  tolerations: 'key',
  finalizers: '',
};

/**
 * Strategic merge patch as kubectl and helm send it: maps merge, lists of known fields merge by
 * their key (`name`), `$patch: delete` removes an entry, `$setElementOrder` and `$retainKeys` are honoured loosely.
 */
export function strategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (Array.isArray(patch)) {
    const key = mergeKeys[field];
    if (key === undefined || !Array.isArray(target))
      return structuredClone(patch.filter((item) => !(isMap(item) && item['$patch'] === 'delete')));
    if (key === '') return [...new Set([...target, ...patch])];
    const out = structuredClone(target) as Json[];
    for (const item of patch) {
      if (!isMap(item)) continue;
      const index = out.findIndex((existing) => isMap(existing) && existing[key] === item[key]);
      if (item['$patch'] === 'delete') {
        if (index >= 0) out.splice(index, 1);
      } else if (index >= 0) out[index] = strategicMergePatch(out[index], item, '');
      else out.push(strategicMergePatch(undefined, item, ''));
    }
    return out;
  }
  if (!isMap(patch)) return structuredClone(patch);
  if (patch['$patch'] === 'replace') {
    const { $patch: _replace, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Record<string, Json> = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys' || key === '$patch') continue;
    if (value === null) delete out[key];
    else out[key] = strategicMergePatch(out[key], value, key);
  }
  return out;
}

function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 operations: add, remove, replace, test (what `kubectl patch --type json` sends). */
export function jsonPatch(target: Json, operations: { op: string; path: string; value?: Json }[]): Json {
  const out = structuredClone(target);
  for (const operation of operations) {
    const parts = pointer(operation.path);
    const last = parts.pop()!;
    let parent: Json = out;
    for (const part of parts) {
      parent = Array.isArray(parent) ? parent[Number(part)] : parent?.[part];
      if (parent === undefined) throw new Error(`path ${operation.path} does not exist`);
    }
    if (operation.op === 'test') {
      if (
        JSON.stringify(Array.isArray(parent) ? parent[Number(last)] : parent[last]) !== JSON.stringify(operation.value)
      )
        throw new Error(`test failed at ${operation.path}`);
    } else if (operation.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else if (last in parent) delete parent[last];
      else throw new Error(`path ${operation.path} does not exist`);
    } else if (operation.op === 'add' || operation.op === 'replace') {
      if (Array.isArray(parent)) {
        if (last === '-') parent.push(operation.value);
        else if (operation.op === 'add') parent.splice(Number(last), 0, operation.value);
        else parent[Number(last)] = operation.value;
      } else parent[last] = operation.value;
    } else {
      throw new Error(`unsupported JSON patch operation ${operation.op}`);
    }
  }
  return out;
}
