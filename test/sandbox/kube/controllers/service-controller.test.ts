import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../../helpers/kube-sandbox.js';

const service = (type: string, extra = '') => `apiVersion: v1
kind: Service
metadata: {name: proxy-public, namespace: default}
spec:
  type: ${type}
  selector: {component: proxy}
  ports:
  - {name: http, port: 80, targetPort: 8000, protocol: TCP}
  - {name: https, port: 443, targetPort: 8443, protocol: TCP}
${extra}`;

describe.each(['v33', 'v30'] as const)('Services as on a cloud (kubectl %s)', (toolchain) => {
  it("a LoadBalancer Service gets node ports in the API server's range and the cloud's address; an apply without them keeps them", async () => {
    const sandbox = await kubeSandbox(toolchain, {}, { loadBalancerAddress: () => '149.165.1.2' });
    expect((await sandbox.kubectl(['apply', '-f', '-'], service('LoadBalancer'))).exitCode).toBe(0);
    const get = async () =>
      JSON.parse((await sandbox.kubectl(['get', 'service', 'proxy-public', '-o', 'json'])).stdout);
    sandbox.server.settle();
    const first = await get();
    expect(first.status.loadBalancer.ingress).toEqual([{ ip: '149.165.1.2', ipMode: 'VIP' }]);
    const ports = first.spec.ports.map((port: { nodePort: number }) => port.nodePort);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(30000);
      expect(port).toBeLessThanOrEqual(32767);
    }
    expect(new Set(ports).size).toBe(2);
    expect(first.spec).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      clusterIP: expect.stringMatching(/^10\.233\./),
    });

    // The same manifest again, with a label: cluster IP and node ports are kept, as the API server keeps them.
    expect(
      (
        await sandbox.kubectl(
          ['apply', '-f', '-'],
          service('LoadBalancer').replace('namespace: default}', 'namespace: default, labels: {a: b}}'),
        )
      ).exitCode,
    ).toBe(0);
    const again = await get();
    expect(again.spec.ports.map((port: { nodePort: number }) => port.nodePort)).toEqual(ports);
    expect(again.spec.clusterIP).toBe(first.spec.clusterIP);
    expect((await sandbox.kubectl(['get', 'service', 'proxy-public'])).stdout).toMatch(/proxy-public\s/);
  });

  it('where the cloud has no load-balancer provider, the address stays pending; a ClusterIP Service has no node ports', async () => {
    const sandbox = await kubeSandbox(toolchain);
    expect((await sandbox.kubectl(['apply', '-f', '-'], service('LoadBalancer'))).exitCode).toBe(0);
    sandbox.server.settle();
    const pending = JSON.parse((await sandbox.kubectl(['get', 'service', 'proxy-public', '-o', 'json'])).stdout);
    expect(pending.status).toEqual({ loadBalancer: {} });
    expect(
      (await sandbox.kubectl(['apply', '-f', '-'], service('ClusterIP').replace('proxy-public', 'hub'))).exitCode,
    ).toBe(0);
    const hub = JSON.parse((await sandbox.kubectl(['get', 'service', 'hub', '-o', 'json'])).stdout);
    expect(hub.spec.ports.every((port: { nodePort?: number }) => port.nodePort === undefined)).toBe(true);
  });

  it("reports the Kubernetes release the toolchain's kubectl is made for", async () => {
    const sandbox = await kubeSandbox(toolchain);
    const version = JSON.parse((await sandbox.kubectl(['version', '-o', 'json'])).stdout);
    expect(version.serverVersion).toMatchObject({ major: '1', minor: toolchain === 'v30' ? '30' : '33' });
    expect(version.serverVersion.gitVersion).toBe(toolchain === 'v30' ? 'v1.30.0-sim' : 'v1.33.9-sim');
  });
});
