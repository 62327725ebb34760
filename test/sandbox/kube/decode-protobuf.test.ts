import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeKubeProtobuf, UnsupportedProtobuf } from '../../../sandbox/kube/decode-protobuf.js';

const recorded = (name: string) => readFileSync(new URL(`../../fixtures/protobuf/${name}.bin`, import.meta.url));

describe('decodeKubeProtobuf on bodies recorded from kubectl 1.33.9', () => {
  it('decodes a Secret with its data as base64, as in JSON', () => {
    expect(decodeKubeProtobuf(recorded('secret-generic'))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's1', namespace: 'jhub' },
      data: { k: Buffer.from('v').toString('base64') },
      type: 'Opaque',
    });
  });

  it('decodes a ConfigMap and a Namespace', () => {
    expect(decodeKubeProtobuf(recorded('configmap'))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c1', namespace: 'jhub' },
      data: { x: 'y' },
    });
    expect(decodeKubeProtobuf(recorded('namespace'))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'jhub' },
    });
  });

  it('refuses what it cannot decode with a reason', () => {
    expect(() => decodeKubeProtobuf(Buffer.from('{"json": true}'))).toThrow(UnsupportedProtobuf);
    const deployment = Buffer.concat([
      Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0e, 0x0a, 0x07]),
      Buffer.from('apps/v1'),
      Buffer.from([0x12, 0x03]),
      Buffer.from('Foo'),
    ]);
    expect(() => decodeKubeProtobuf(deployment)).toThrow(
      'protobuf bodies of kind Foo are not supported by the simulator; send JSON',
    );
  });
});
