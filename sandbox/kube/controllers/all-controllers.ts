import { certManager } from './cert-manager.js';
import type { Controller } from './controller-context.js';
import { crdRegistrar } from './crd-registrar.js';
import { garbageCollector } from './garbage-collector.js';
import { storageProtection } from './storage-protection.js';
import { volumeBinder } from './volume-binder.js';
import { volumeProvisioner } from './volume-provisioner.js';
import { volumeScheduler } from './volume-scheduler.js';
import { workloadControllers } from './workloads.js';
import { serviceController } from './service-controller.js';

/** In the order a pass runs them: kinds first, then what creates objects, then what cleans up. */
export const allControllers: Controller[] = [
  crdRegistrar,
  volumeScheduler,
  volumeBinder,
  volumeProvisioner,
  ...workloadControllers,
  serviceController,
  certManager,
  garbageCollector,
  storageProtection,
];
