import { inUseRefusal } from '../../cloud/cinder-refusals.js';
import type { KubeObject } from '../object-store.js';
import type { ResourceType } from '../resource-catalog.js';
import { mustType, type Controller, type ControllerContext } from './controller-context.js';
import { cinderProvisioners, recordEvent, storageAnnotations as ann, volumeIdOf } from './storage-objects.js';

/** The provisioner's half of reclaiming with Delete: the Cinder volume goes, then the PV; Cinder refuses while snapshots exist, and the PV stays with the reason. */
export function deleteProvisionedVolume(ctx: ControllerContext, pvType: ResourceType, pv: KubeObject): number {
  const volumeId = volumeIdOf(pv);
  if (volumeId && ctx.volumes.delete(volumeId) === 'has-snapshots') {
    const message = `rpc error: code = Internal desc = DeleteVolume failed with error Expected HTTP response code [202 204] when accessing [DELETE /volumes/${volumeId}], but got 400 instead: {"badRequest": {"code": 400, "message": "${inUseRefusal}"}}`;
    return recordEvent(ctx, pv, 'Warning', 'VolumeFailedDelete', message, 'cinder.csi.openstack.org');
  }
  ctx.store.delete(pvType, undefined, pv.metadata.name);
  return 1;
}

/**
 * Cinder CSI's external provisioner deleting what it made: on a real control plane the
 * persistent-volume controller marks a volume Released and leaves the deletion to the provisioner.
 */
export const volumeDeleter: Controller = (ctx) => {
  const pvType = mustType(ctx, 'PersistentVolume');
  let changed = 0;
  for (const pv of ctx.store.list(pvType)) {
    const provisioner = pv.metadata.annotations?.[ann.provisionedBy] ?? pv.spec?.csi?.driver ?? '';
    if (
      pv.status?.phase === 'Released' &&
      pv.spec?.persistentVolumeReclaimPolicy === 'Delete' &&
      !pv.metadata.deletionTimestamp &&
      cinderProvisioners.has(provisioner)
    )
      changed += deleteProvisionedVolume(ctx, pvType, pv);
  }
  return changed;
};
