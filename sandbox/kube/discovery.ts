import { allVerbs, type ResourceType } from './resource-catalog.js';

export const serverVersion = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.9-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.24.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function groupVersions(types: readonly ResourceType[]): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const type of types) {
    if (type.group === '') continue;
    if (!groups.has(type.group)) groups.set(type.group, new Set());
    groups.get(type.group)!.add(type.version);
  }
  return groups;
}

/** `/api`: the legacy core group. */
export function coreVersions(): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
  };
}

/** `/apis`: every named group and its versions. */
export function groupList(types: readonly ResourceType[]): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions(types)].map(([name, versions]) => {
      // Stable versions first, as the server orders them, and the first is the one clients prefer.
      const list = [...versions]
        .sort((a, b) => Number(/^v\d+$/.test(b)) - Number(/^v\d+$/.test(a)))
        .map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

/** The kinds in the `all` category, as the API server lists them: what `kubectl get all` shows. */
const inAll = new Set([
  '/pods',
  '/replicationcontrollers',
  '/services',
  'apps/daemonsets',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'autoscaling/horizontalpodautoscalers',
  'batch/cronjobs',
  'batch/jobs',
]);

/** `/api/v1` or `/apis/<group>/<version>`: the resources of one group version, subresources included. */
export function resourceList(types: readonly ResourceType[], group: string, version: string): object | undefined {
  const members = types.filter((type) => type.group === group && type.version === version);
  if (members.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: members.flatMap((type) => [
      {
        name: type.plural,
        singularName: type.singular,
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: allVerbs,
        ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
        ...(inAll.has(`${type.group}/${type.plural}`) ? { categories: ['all'] } : {}),
      },
      ...(type.subresources ?? []).map((sub) => ({
        name: `${type.plural}/${sub}`,
        singularName: '',
        namespaced: type.namespaced,
        kind: sub === 'scale' ? 'Scale' : type.kind,
        verbs: ['get', 'patch', 'update'],
      })),
    ]),
  };
}
