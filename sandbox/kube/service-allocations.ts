import type { KubeObject } from './object-store.js';

/** The API server's default NodePort range. */
const nodePortRange = { first: 30000, last: 32767 };

/** Kubespray's default service network, 10.233.0.0/18. */
function clusterIp(): string {
  return `10.233.${Math.floor(Math.random() * 63)}.${Math.floor(Math.random() * 253) + 1}`;
}

const exposesNodePorts = (spec: any) =>
  spec?.type === 'NodePort' || (spec?.type === 'LoadBalancer' && spec?.allocateLoadBalancerNodePorts !== false);

/**
 * What the API server's Service storage fills in: a cluster IP, and for NodePort and LoadBalancer
 * Services a node port per port. An update keeps what was allocated before (same port and protocol).
 */
export function withServiceAllocations(service: KubeObject, previous?: KubeObject): KubeObject {
  const spec = { type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ...service.spec };
  if (spec.type !== 'ExternalName') {
    spec.clusterIP ??= previous?.spec?.clusterIP ?? clusterIp();
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (exposesNodePorts(spec)) {
    spec.externalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
    const taken = new Set<number>((spec.ports ?? []).map((port: any) => port.nodePort).filter(Boolean));
    const before = (previous?.spec?.ports ?? []) as any[];
    spec.ports = (spec.ports ?? []).map((port: any) => {
      if (port.nodePort) return port;
      const kept = before.find(
        (old) => old.port === port.port && (old.protocol ?? 'TCP') === (port.protocol ?? 'TCP'),
      )?.nodePort;
      let nodePort = kept;
      while (nodePort === undefined || (taken.has(nodePort) && nodePort !== kept))
        nodePort = nodePortRange.first + Math.floor(Math.random() * (nodePortRange.last - nodePortRange.first + 1));
      taken.add(nodePort);
      return { ...port, nodePort };
    });
  } else if (spec.ports) {
    spec.ports = spec.ports.map(({ nodePort: _dropped, ...port }: any) => port);
  }
  return { ...service, spec, status: service.status ?? previous?.status ?? { loadBalancer: {} } };
}
