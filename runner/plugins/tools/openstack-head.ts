import { Type } from '@sinclair/typebox';

/** What every openstack step shares: the client and the clouds.yaml entry, their inventory defaults, and the argv prefix. */
export const openstackHead = {
  args: {
    binary: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'The OpenStack client.',
      }),
    ),
    cloud: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'The clouds.yaml entry to use; without one, the client reads the OS_* variables an openrc file sets.',
      }),
    ),
  },
  fromVars: { binary: 'openstack_binary', cloud: 'openstack_cloud' },
  varDefaults: { openstack_binary: 'openstack' },
  argv: (args: { binary?: string; cloud?: string }): string[] => [
    args.binary ?? 'openstack',
    ...(args.cloud ? ['--os-cloud', args.cloud] : []),
  ],
} as const;
