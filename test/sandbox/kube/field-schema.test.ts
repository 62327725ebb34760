import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFields, modelOf } from '../../../sandbox/kube/field-schema.js';
import { tempDir } from '../../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('the Kubernetes schemas as data', () => {
  it('are exactly what the generator makes from @kubernetes/client-node for the kinds the server serves', async () => {
    const out = `${await tempDir()}/kube-fields.json`;
    execFileSync(process.execPath, [`${root}/scripts/generate-kube-fields.mjs`, out]);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(`${root}/sandbox/kube/schemas/kube-fields.json`, 'utf8'));
  });

  it('know the built-in kinds, by group, and not custom resources', () => {
    expect(modelOf('apps/v1', 'Deployment')).toBe('V1Deployment');
    expect(modelOf('v1', 'Event')).toBe('CoreV1Event');
    expect(modelOf('cert-manager.io/v1', 'Certificate')).toBeUndefined();
    expect(
      checkFields({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', spec: { anything: 1 } }),
    ).toBeUndefined();
  });

  it('drop undeclared fields at any depth, naming each as the decoder and server-side apply do', () => {
    const checked = checkFields({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { a: 'b' }, colour: 'red' },
      spec: {
        containers: [
          { name: 'hub', image: 'i', ports: [{ containerPort: 80, proto: 'TCP' }] },
          { image: 'j', extra: true },
        ],
      },
    })!;
    expect(checked.unknown).toEqual([
      { path: 'metadata.colour', applyPath: '.metadata.colour' },
      { path: 'spec.containers[0].ports[0].proto', applyPath: '.spec.containers[name="hub"].ports[0].proto' },
      { path: 'spec.containers[1].extra', applyPath: '.spec.containers[1].extra' },
    ]);
    expect(checked.pruned).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: { containers: [{ name: 'hub', image: 'i', ports: [{ containerPort: 80 }] }, { image: 'j' }] },
    });
    expect(checked.typeError).toBeUndefined();
  });

  it('refuse what Go cannot decode into an int32, int64 or bool, and take quantities, int-or-strings and nulls', () => {
    expect(checkFields({ apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { replicas: '3' } })!.typeError).toBe(
      'json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32',
    );
    expect(
      checkFields({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', stdin: 'yes' }] } })!.typeError,
    ).toBe('json: cannot unmarshal string into Go struct field Container.spec.containers.stdin of type bool');
    const fine = checkFields({
      apiVersion: 'v1',
      kind: 'Pod',
      spec: {
        activeDeadlineSeconds: null,
        containers: [
          {
            name: 'c',
            resources: { limits: { cpu: 1, memory: '1Gi' } },
            ports: [{ containerPort: 8081 }],
            readinessProbe: { httpGet: { port: 'http' } },
          },
        ],
      },
    })!;
    expect(fine).toMatchObject({ unknown: [] });
    expect(fine.typeError).toBeUndefined();
  });
});
