import { stringify } from 'yaml';
import type { ApplicationCredential } from './openstack-api.js';

/** A clouds.yaml with one cloud, authenticated by an application credential as Jetstream2's documentation sets it up. */
export function cloudsYaml(name: string, authUrl: string, credential: ApplicationCredential): string {
  return stringify({
    clouds: {
      [name]: {
        auth_type: 'v3applicationcredential',
        auth: {
          auth_url: authUrl,
          application_credential_id: credential.id,
          application_credential_secret: credential.secret,
        },
        region_name: 'RegionOne',
        interface: 'public',
        identity_api_version: 3,
      },
    },
  });
}
