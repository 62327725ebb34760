import type { KubeObject } from '../object-store.js';
import { csiVolumeMetadata, inTreeVolumeMetadata } from '../../cloud/volume-metadata.js';
import { mustType, type Controller, type ControllerContext } from './controller-context.js';
import {
  cinderProvisioners,
  cinderZoneLabel,
  classOfClaim,
  hasAnnotation,
  recordEvent,
  requestedGi,
  storageAnnotations as ann,
  storageClassNamed,
} from './storage-objects.js';

/** The availability zone every simulated node and Cinder volume is in, as on a one-zone Jetstream site. */
export const sandboxZone = 'nova';

function provision(ctx: ControllerContext, pvc: KubeObject, storageClass: KubeObject): number {
  const name = `pvc-${pvc.metadata.uid}`;
  const size = requestedGi(pvc);
  const createdFor = { claim: String(pvc.metadata.name), namespace: String(pvc.metadata.namespace), pv: name };
  // As Cinder CSI's CreateVolume: a volume of that name already made (the PV's create failed after it) is used, not made twice.
  const volume =
    ctx.volumes.list().find((candidate) => candidate.name === name) ??
    ctx.volumes.create(
      name,
      size,
      undefined,
      storageClass.provisioner === 'kubernetes.io/cinder'
        ? inTreeVolumeMetadata(createdFor)
        : csiVolumeMetadata(createdFor),
    );
  ctx.store.create(mustType(ctx, 'PersistentVolume'), undefined, {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: {
        [ann.provisionedBy]: storageClass.provisioner,
        'volume.kubernetes.io/provisioner-deletion-secret-name': '',
        'volume.kubernetes.io/provisioner-deletion-secret-namespace': '',
      },
    },
    spec: {
      accessModes: pvc.spec.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: `${size}Gi` },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: pvc.metadata.name,
        namespace: pvc.metadata.namespace,
        resourceVersion: pvc.metadata.resourceVersion,
        uid: pvc.metadata.uid,
      },
      csi: {
        driver: storageClass.provisioner,
        fsType: 'ext4',
        volumeHandle: volume.id,
        volumeAttributes: {
          'storage.kubernetes.io/csiProvisionerIdentity': '1700000000000-8081-cinder.csi.openstack.org',
        },
      },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: cinderZoneLabel, operator: 'In', values: [sandboxZone] }] }],
        },
      },
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      storageClassName: storageClass.metadata.name,
      volumeMode: pvc.spec.volumeMode ?? 'Filesystem',
    },
  });
  return (
    1 +
    recordEvent(
      ctx,
      pvc,
      'Normal',
      'ProvisioningSucceeded',
      `Successfully provisioned volume ${name}`,
      `${storageClass.provisioner}_csi-cinder-controllerplugin-0`,
    )
  );
}

/**
 * Cinder CSI's external provisioner: a claim the persistent-volume controller handed to it gets a new
 * Cinder volume and a PV recording that claim; under WaitForFirstConsumer only once the scheduler
 * has chosen a node for a pod that uses it.
 */
export const volumeProvisioner: Controller = (ctx) => {
  const waiting = ctx.store
    .scan(mustType(ctx, 'PersistentVolumeClaim'))
    .filter(
      (pvc) =>
        cinderProvisioners.has(pvc.metadata.annotations?.[ann.storageProvisioner]) &&
        !pvc.spec.volumeName &&
        pvc.status?.phase !== 'Bound' &&
        !pvc.metadata.deletionTimestamp,
    );
  if (waiting.length === 0) return 0;
  let changed = 0;
  const provisionedFor = new Set(
    ctx.store
      .scan(mustType(ctx, 'PersistentVolume'))
      .map((pv) => pv.spec?.claimRef?.uid)
      .filter(Boolean),
  );
  for (const pvc of waiting) {
    const provisioner = pvc.metadata.annotations?.[ann.storageProvisioner];
    if (provisionedFor.has(pvc.metadata.uid)) continue;
    const storageClass = storageClassNamed(ctx, classOfClaim(pvc));
    if (!storageClass || storageClass.provisioner !== provisioner) continue;
    if (storageClass.volumeBindingMode === 'WaitForFirstConsumer' && !hasAnnotation(pvc, ann.selectedNode)) continue;
    changed += provision(ctx, pvc, storageClass);
  }
  return changed;
};
