import { writeFile } from 'node:fs/promises';
import { newApplicationCredential, startOpenStackApi, type OpenStackApi } from '../cloud/openstack-api.js';
import { cloudsYaml } from '../cloud/clouds-yaml.js';
import { recordCloudOperation } from '../cloud/cloud-ledger.js';
import type { VolumeBackend } from '../cloud/volume-backend.js';
import type { SandboxConfig } from './sandbox-config.js';
import { floatingIpsOf } from '../cloud/neutron-api.js';

/** The cloud's Keystone and Cinder over the site's volumes, and the clouds.yaml the real openstack client reads them by. */
export async function startSiteCloud(
  config: SandboxConfig,
  env: Record<string, string>,
  volumes: VolumeBackend,
): Promise<OpenStackApi> {
  const credential = newApplicationCredential();
  const openstack = await startOpenStackApi({
    volumes,
    credential,
    record: (operation) => recordCloudOperation(config.stateDir, operation),
    quota: config.cloud.quota,
    floatingIps: () => floatingIpsOf(config.terraformDir),
  });
  await writeFile(env['OS_CLIENT_CONFIG_FILE']!, cloudsYaml('sandbox', openstack.authUrl, credential), { mode: 0o600 });
  return openstack;
}
