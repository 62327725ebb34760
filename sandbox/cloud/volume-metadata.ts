/** The claim a volume was made for, recorded on the Cinder volume as each provisioner records it. */
export interface CreatedFor {
  claim: string;
  namespace: string;
  pv: string;
}

/** Cinder CSI's properties: its cluster key plus the external-provisioner's PVC/PV parameters (extra-create-metadata). */
export function csiVolumeMetadata(createdFor: CreatedFor): Record<string, string> {
  return {
    'cinder.csi.openstack.org/cluster': 'kubernetes',
    'csi.storage.k8s.io/pvc/name': createdFor.claim,
    'csi.storage.k8s.io/pvc/namespace': createdFor.namespace,
    'csi.storage.k8s.io/pv/name': createdFor.pv,
  };
}

/** The in-tree Cinder provisioner's tags, from before CSI. */
export function inTreeVolumeMetadata(createdFor: CreatedFor): Record<string, string> {
  return {
    'kubernetes.io/created-for/pvc/name': createdFor.claim,
    'kubernetes.io/created-for/pvc/namespace': createdFor.namespace,
    'kubernetes.io/created-for/pv/name': createdFor.pv,
  };
}
