import { Type } from '@sinclair/typebox';

/** How every openstack step reaches the cloud; omitted arguments come from the inventory. */
export const openstackArgs = {
  binary: Type.Optional(Type.String({ minLength: 1, description: 'The OpenStack client (default: the `openstack_binary` variable, else openstack).' })),
  cloud: Type.Optional(
    Type.String({ minLength: 1, description: "The clouds.yaml entry to use (default: the `openstack_cloud` variable; without one, the client reads the OS_* variables an openrc file sets)." }),
  ),
};

export const openstackFromVars = { binary: 'openstack_binary', cloud: 'openstack_cloud' } as const;

/** The argv every openstack command starts with. */
export function openstackCommand(args: { binary?: string; cloud?: string }): string[] {
  return [args.binary ?? 'openstack', ...(args.cloud ? ['--os-cloud', args.cloud] : [])];
}
