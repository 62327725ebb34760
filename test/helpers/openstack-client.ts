import { onPath } from '../../sandbox/cloud/find-terraform.js';

/** The real OpenStack client (Debian: python3-openstackclient), when installed. */
export const openstackClient = onPath('openstack');

/** CI installs the client and sets this, so that a missing client fails the tests instead of skipping them. */
export const openstackTestsRun = openstackClient !== undefined || process.env['JHUB_EXPECT_OPENSTACK'] === '1';
