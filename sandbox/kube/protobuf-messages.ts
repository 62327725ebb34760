import protobuf from 'protobufjs';

const string = (id: number) => ({ type: 'string', id });
const bytes = (id: number) => ({ type: 'bytes', id });
const message = (type: string, id: number) => ({ type, id });
const repeated = (type: string, id: number) => ({ type, id, rule: 'repeated' });
const map = (type: string, id: number) => ({ keyType: 'string', type, id });

/**
 * The few Kubernetes messages that clients send as protobuf (helm's release Secrets, kubectl's
 * typed creates), declared from their published field numbers. Unknown fields are skipped by the decoder.
 */
const descriptor = {
  nested: {
    Unknown: {
      fields: { typeMeta: message('TypeMeta', 1), raw: bytes(2), contentEncoding: string(3), contentType: string(4) },
    },
    TypeMeta: { fields: { apiVersion: string(1), kind: string(2) } },
    Time: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
    OwnerReference: {
      fields: {
        kind: string(1),
        name: string(3),
        uid: string(4),
        apiVersion: string(5),
        controller: { type: 'bool', id: 6 },
        blockOwnerDeletion: { type: 'bool', id: 7 },
      },
    },
    ObjectMeta: {
      fields: {
        name: string(1),
        generateName: string(2),
        namespace: string(3),
        uid: string(5),
        resourceVersion: string(6),
        labels: map('string', 11),
        annotations: map('string', 12),
        ownerReferences: repeated('OwnerReference', 13),
        finalizers: repeated('string', 14),
      },
    },
    Secret: {
      fields: {
        metadata: message('ObjectMeta', 1),
        data: map('bytes', 2),
        type: string(3),
        stringData: map('string', 4),
        immutable: { type: 'bool', id: 5 },
      },
    },
    ConfigMap: {
      fields: {
        metadata: message('ObjectMeta', 1),
        data: map('string', 2),
        binaryData: map('bytes', 3),
        immutable: { type: 'bool', id: 4 },
      },
    },
    NamespaceSpec: { fields: { finalizers: repeated('string', 1) } },
    Namespace: { fields: { metadata: message('ObjectMeta', 1), spec: message('NamespaceSpec', 2) } },
    LocalObjectReference: { fields: { name: string(1) } },
    ServiceAccount: {
      fields: {
        metadata: message('ObjectMeta', 1),
        automountServiceAccountToken: { type: 'bool', id: 3 },
        imagePullSecrets: repeated('LocalObjectReference', 4),
      },
    },
  },
};

let root: protobuf.Root | undefined;

export function kubeProtobufRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(descriptor);
  return root;
}

export const protobufKinds = new Set(['Secret', 'ConfigMap', 'Namespace', 'ServiceAccount']);
