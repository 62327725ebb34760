import { describe, expect, it } from 'vitest';
import { addressMatches, destroyClosure, parseTfstate } from '../../../runner/plugins/terraform/tfstate.js';

// Shaped like the local state terraform 1.x writes for kubespray's contrib/terraform/openstack modules.
const state = JSON.stringify({
  version: 4,
  terraform_version: '1.9.8',
  serial: 7,
  lineage: '3f1c',
  outputs: {},
  resources: [
    {
      mode: 'data',
      type: 'openstack_images_image_v2',
      name: 'ubuntu',
      instances: [{ schema_version: 0, attributes: { id: 'img' } }],
    },
    {
      module: 'module.network',
      mode: 'managed',
      type: 'openstack_networking_router_v2',
      name: 'k8s',
      instances: [{ index_key: 0, attributes: { id: 'r' } }],
    },
    {
      module: 'module.ips',
      mode: 'managed',
      type: 'openstack_networking_floatingip_v2',
      name: 'k8s_master',
      instances: [
        {
          index_key: 0,
          attributes: { address: '149.165.1.2' },
          dependencies: ['module.network.openstack_networking_router_v2.k8s'],
        },
      ],
    },
    {
      module: 'module.compute',
      mode: 'managed',
      type: 'openstack_compute_instance_v2',
      name: 'k8s_master',
      instances: [{ index_key: 0, attributes: {} }],
    },
    {
      module: 'module.compute',
      mode: 'managed',
      type: 'openstack_compute_floatingip_associate_v2',
      name: 'k8s_master',
      instances: [
        {
          index_key: 0,
          dependencies: [
            'module.compute.openstack_compute_instance_v2.k8s_master',
            'module.ips.openstack_networking_floatingip_v2.k8s_master',
          ],
        },
      ],
    },
    {
      module: 'module.compute',
      mode: 'managed',
      type: 'openstack_compute_instance_v2',
      name: 'nodes',
      instances: [{ index_key: 'node-1', attributes: {} }],
    },
  ],
});

describe('parseTfstate', () => {
  it('gives the addresses terraform state list prints, modules, data sources and string keys included', () => {
    expect(parseTfstate(state).map((instance) => instance.address)).toEqual([
      'data.openstack_images_image_v2.ubuntu',
      'module.network.openstack_networking_router_v2.k8s[0]',
      'module.ips.openstack_networking_floatingip_v2.k8s_master[0]',
      'module.compute.openstack_compute_instance_v2.k8s_master[0]',
      'module.compute.openstack_compute_floatingip_associate_v2.k8s_master[0]',
      'module.compute.openstack_compute_instance_v2.nodes["node-1"]',
    ]);
  });

  it('refuses other formats', () => {
    expect(() => parseTfstate('{"version": 3, "modules": []}')).toThrow('not a terraform state of format version 4');
    expect(() => parseTfstate('not json')).toThrow();
  });
});

describe('destroyClosure', () => {
  const instances = parseTfstate(state);

  it('adds what depends on a target, transitively, and never data sources', () => {
    expect(destroyClosure(instances, ['module.network.openstack_networking_router_v2.k8s'])).toEqual([
      'module.network.openstack_networking_router_v2.k8s[0]',
      'module.ips.openstack_networking_floatingip_v2.k8s_master[0]',
      'module.compute.openstack_compute_floatingip_associate_v2.k8s_master[0]',
    ]);
    expect(destroyClosure(instances, ['data.openstack_images_image_v2.ubuntu'])).toEqual([]);
  });

  it('leaves independent resources alone', () => {
    expect(destroyClosure(instances, ['module.compute.openstack_compute_instance_v2.nodes["node-1"]'])).toEqual([
      'module.compute.openstack_compute_instance_v2.nodes["node-1"]',
    ]);
  });
});

describe('addressMatches', () => {
  it('matches a resource to its instances but not to a longer name', () => {
    expect(addressMatches('a.worker[1]', 'a.worker')).toBe(true);
    expect(addressMatches('a.worker', 'a.worker')).toBe(true);
    expect(addressMatches('a.workers[1]', 'a.worker')).toBe(false);
  });
});
