import { kubeProtobufRoot, protobufKinds } from './protobuf-messages.js';

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export class UnsupportedProtobuf extends Error {}

/** Go's JSON leaves out empty strings, maps and lists; a decoded proto2 message has them, so drop them. */
function omitEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(omitEmpty);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleaned = omitEmpty(item);
      if (cleaned !== undefined && cleaned !== '') out[key] = cleaned;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/** Decodes a `k8s\0` + runtime.Unknown body into the JSON object the client meant. */
export function decodeKubeProtobuf(body: Buffer): Record<string, any> {
  if (body.length < 4 || !body.subarray(0, 4).equals(magic))
    throw new UnsupportedProtobuf('the body does not start with the Kubernetes protobuf prefix');
  const root = kubeProtobufRoot();
  const envelope = root.lookupType('Unknown').decode(body.subarray(4)) as unknown as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
  };
  const kind = envelope.typeMeta?.kind ?? '';
  if (!protobufKinds.has(kind))
    throw new UnsupportedProtobuf(
      `protobuf bodies of kind ${kind || '(none)'} are not supported by the simulator; send JSON`,
    );
  const type = root.lookupType(kind);
  const decoded = type.toObject(type.decode(envelope.raw ?? new Uint8Array()), {
    bytes: String,
    longs: Number,
    defaults: false,
    arrays: false,
    objects: false,
  });
  const object = (omitEmpty(decoded) as Record<string, any> | undefined) ?? {};
  return { apiVersion: envelope.typeMeta?.apiVersion || 'v1', kind, ...object, metadata: object['metadata'] ?? {} };
}
