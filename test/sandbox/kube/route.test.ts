import { describe, expect, it } from 'vitest';
import { builtinResourceTypes } from '../../../sandbox/kube/resource-catalog.js';
import { namespaceItselfRoute, parseResourcePath } from '../../../sandbox/kube/route.js';

describe('parseResourcePath', () => {
  it('reads core and named groups, namespaced and cluster-wide', () => {
    expect(
      parseResourcePath('/api/v1/namespaces/jhub/persistentvolumeclaims/claim-a', builtinResourceTypes),
    ).toMatchObject({ resource: { kind: 'PersistentVolumeClaim' }, namespace: 'jhub', name: 'claim-a' });
    expect(parseResourcePath('/api/v1/persistentvolumes', builtinResourceTypes)).toMatchObject({
      resource: { kind: 'PersistentVolume' },
    });
    expect(
      parseResourcePath('/apis/apps/v1/namespaces/jhub/deployments/hub/status', builtinResourceTypes),
    ).toMatchObject({ name: 'hub', subresource: 'status' });
    expect(parseResourcePath('/apis/nope/v1/things', builtinResourceTypes)).toBeUndefined();
  });

  it('addresses namespaces themselves', () => {
    expect(namespaceItselfRoute('/api/v1/namespaces/jhub', builtinResourceTypes)).toMatchObject({
      resource: { kind: 'Namespace' },
      name: 'jhub',
    });
    expect(namespaceItselfRoute('/api/v1/namespaces/jhub/secrets', builtinResourceTypes)).toBeUndefined();
  });
});
