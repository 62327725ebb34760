import { findControlPlane } from '../../sandbox/control-plane/control-plane-binaries.js';

/** The built control plane (npm run build:control-plane), when this machine has it. */
export const controlPlane = findControlPlane();

/** CI builds it and sets this, so that a missing build fails the tests instead of skipping them. */
export const realControlPlaneTestsRun =
  'found' in controlPlane || process.env['JHUB_EXPECT_REAL_CONTROL_PLANE'] === '1';
