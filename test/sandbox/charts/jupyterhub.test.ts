import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../../sandbox/kube-binaries.js';

const chart = fileURLToPath(new URL('../../../sandbox/charts/jupyterhub', import.meta.url));
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/jupyterhub-chart-4.2.0/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean);

/** The stand-in rendered as a deploy renders it, with the values the fixture's objects were recorded with. */
async function rendered(): Promise<any[]> {
  const { helm } = await kubeBinaries('v33');
  const values = [
    'singleuser.storage.capacity=10Gi',
    'hub.db.pvc.storage=1Gi',
    'hub.cookieSecret=c',
    'proxy.secretToken=t',
  ];
  const result = await execa(helm, [
    'template',
    'jhub',
    chart,
    '--namespace',
    'jhub',
    ...values.flatMap((value) => ['--set', value]),
  ]);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS())
    .filter(Boolean);
}

describe('the stand-in jupyterhub chart, held to what the released chart 4.2.0 renders', () => {
  it('renders the same kinds and names, hooks included', async () => {
    const objects = await rendered();
    expect(objects.map((object) => `${object.kind} ${object.metadata.name}`).sort()).toEqual(fixture('objects.txt'));
  });

  it("runs the same images in each workload's containers and init containers", async () => {
    const objects = await rendered();
    const images = objects
      .filter((object) => ['Deployment', 'DaemonSet', 'StatefulSet', 'Job'].includes(object.kind))
      .flatMap((object) => {
        const spec = object.spec.template.spec;
        return [
          ...(spec.containers ?? []).map(
            (container: any) => `${object.kind} ${object.metadata.name} ${container.image}`,
          ),
          ...(spec.initContainers ?? []).map(
            (container: any) => `${object.kind} ${object.metadata.name} init ${container.image}`,
          ),
        ];
      });
    expect(images.sort()).toEqual([...fixture('images.txt')].sort());
  });

  it('has the released defaults a rehearsal depends on', async () => {
    const objects = await rendered();
    const find = (kind: string, name: string) =>
      objects.find((object) => object.kind === kind && object.metadata.name === name);
    expect(find('Service', 'proxy-public').spec.type).toBe('LoadBalancer');
    expect(find('StatefulSet', 'user-placeholder').spec.template.spec.schedulerName).toBe('jhub-user-scheduler');
    expect(find('Deployment', 'user-scheduler').spec.replicas).toBe(2);
    for (const name of ['hook-image-puller', 'hook-image-awaiter'])
      expect(
        objects.find((object) => object.metadata.name === name && object.kind !== 'ServiceAccount').metadata
          .annotations['helm.sh/hook'],
      ).toBe('pre-install,pre-upgrade');
  });
});

describe.each(['v33', 'v30'] as const)("the stand-in's values schema, checked by helm %s", (toolchain) => {
  it('refuses an unknown key before anything renders, as the released chart does, and takes every default and a known key', async () => {
    const { helm } = await kubeBinaries(toolchain);
    const typo = await execa(helm, ['template', 'jhub', chart, '--set', 'singleuser.storag.capacity=1Gi'], {
      reject: false,
    });
    expect(typo.exitCode).toBe(1);
    expect(typo.stderr).toMatch(/values don't meet the specifications of the schema/);
    expect(typo.stderr).toMatch(/additional properties 'storag' not allowed|Additional property storag is not allowed/);
    const known = await execa(
      helm,
      ['template', 'jhub', chart, '--set', 'singleuser.storage.capacity=20Gi', '--set', 'proxy.https.enabled=true'],
      { reject: false },
    );
    expect(known.exitCode, known.stderr).toBe(0);
  });
});
