import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runApp } from '../../helpers/run-app.js';
import { sandboxSiteCopy } from '../../helpers/sandbox-site-copy.js';
import { siteObject } from '../../helpers/site-objects.js';

const routePlaybook = `name: route
steps:
  - name: Route the hub's domain to proxy-public
    kubectl.apply:
      manifest:
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: jhub, namespace: jhub}
        spec:
          hostnames: [hub.sandbox.test]
          rules: [{backendRefs: [{name: proxy-public, port: 80}]}]
`;

describe('a new cluster with the Gateway API (sandbox.gateway_api)', () => {
  it("serves HTTPRoute as Kubespray's gateway_api_enabled cluster does; without it kubectl knows no such kind", async () => {
    const withApi = await sandboxSiteCopy({ gateway_api: true, seed: { users: 1, namespace: 'jhub' } });
    const playbook = `${withApi}/../route.yml`;
    writeFileSync(playbook, routePlaybook);
    const applied = await runApp([playbook, '-i', withApi]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(siteObject(withApi, 'HTTPRoute', 'jhub', 'jhub').spec.hostnames).toEqual(['hub.sandbox.test']);

    const without = await sandboxSiteCopy({ seed: { users: 1, namespace: 'jhub' } });
    const refused = await runApp([playbook, '-i', without]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/no matches for kind "HTTPRoute" in version "gateway.networking.k8s.io\/v1"/);
  });
});
