import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTfstate, resourceValues } from '../support/terraform-state.js';
import { stateFile } from './cloud-config.js';

/** A floating IP as the cloud holds it: its address, and the port it is associated with, if any. */
export interface FloatingIp {
  id: string;
  address: string;
  associated: boolean;
  createdAt: string;
}

/** The floating IPs terraform's state holds now: what Neutron would list for the project. */
export function floatingIpsOf(terraformDir: string): FloatingIp[] {
  let instances: ReturnType<typeof parseTfstate>;
  try {
    instances = parseTfstate(readFileSync(join(terraformDir, stateFile), 'utf8'));
  } catch {
    return [];
  }
  const live = instances.filter((instance) => !instance.tainted);
  const associatedTo = new Set(
    live
      .filter((instance) => resourceValues(instance)['kind'] === 'floatingip_association')
      .map((instance) => String(resourceValues(instance)['floating_ip'])),
  );
  return live
    .filter((instance) => resourceValues(instance)['kind'] === 'floatingip')
    .map((instance) => {
      const id = String(instance.attributes['id']);
      return {
        id,
        address: String(resourceValues(instance)['address']),
        associated: associatedTo.has(id),
        createdAt: '2026-01-01T00:00:00Z',
      };
    });
}

/** Neutron's body for one floating IP, with the fields `openstack floating ip list -f json` prints. */
export function floatingIpBody(ip: FloatingIp, projectId: string) {
  return {
    id: ip.id,
    floating_ip_address: ip.address,
    floating_network_id: '5f1c2a8e-0000-4000-8000-000000000001',
    router_id: ip.associated ? '5f1c2a8e-0000-4000-8000-000000000002' : null,
    port_id: ip.associated ? '5f1c2a8e-0000-4000-8000-000000000003' : null,
    fixed_ip_address: ip.associated ? '10.0.0.10' : null,
    status: ip.associated ? 'ACTIVE' : 'DOWN',
    project_id: projectId,
    tenant_id: projectId,
    description: '',
    dns_domain: '',
    dns_name: '',
    port_details: null,
    qos_policy_id: null,
    tags: [],
    revision_number: 1,
    created_at: ip.createdAt,
    updated_at: ip.createdAt,
  };
}

/** Neutron's nominal quota: the client's `quota show` asks for it once the catalog names a network service. */
export const networkQuota = {
  floatingip: 50,
  network: 100,
  port: 500,
  rbac_policy: 10,
  router: 10,
  security_group: 10,
  security_group_rule: 100,
  subnet: 100,
  subnetpool: -1,
};
