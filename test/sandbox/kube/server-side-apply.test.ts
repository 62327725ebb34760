import { writeFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appliedFields, fieldPaths, removeAbandoned } from '../../../sandbox/kube/field-sets.js';
import { kubeSandbox } from '../../helpers/kube-sandbox.js';

const deployment = (env: string[]) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: hub, namespace: default}
spec:
  selector: {matchLabels: {component: hub}}
  template:
    metadata: {labels: {component: hub}}
    spec:
      containers:
      - name: hub
        image: quay.io/jupyterhub/k8s-hub:4.2.0
        env: [${env.map((name) => `{name: ${name}, value: "1"}`).join(', ')}]
`;

describe('field sets', () => {
  it('own each leaf and each item of a list merged by key', () => {
    const fields = appliedFields({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { a: 'b' } },
      data: { one: '1' },
      spec: { containers: [{ name: 'hub', args: ['a'] }] },
    } as any);
    expect(fieldPaths(fields).map((path) => path.join(' '))).toEqual([
      'f:metadata f:labels f:a',
      'f:data f:one',
      'f:spec f:containers k:{"name":"hub"}',
      'f:spec f:containers k:{"name":"hub"} f:name',
      'f:spec f:containers k:{"name":"hub"} f:args',
    ]);
  });

  it('remove what the manager stopped applying unless another manager owns it', () => {
    const live = { data: { a: '1', b: '2', c: '3' } };
    const before = { 'f:data': { 'f:a': {}, 'f:b': {}, 'f:c': {} } };
    const after = { 'f:data': { 'f:a': {} } };
    expect(removeAbandoned(live, before, after, [{ 'f:data': { 'f:c': {} } }])).toEqual({ data: { a: '1', c: '3' } });
  });
});

describe.each(['v33', 'v30'] as const)('server-side apply with field ownership (kubectl %s)', (toolchain) => {
  it('removes a field the manager stops applying, and keeps one another manager applies', async () => {
    const sandbox = await kubeSandbox(toolchain);
    const apply = (manager: string, manifest: string) =>
      sandbox.kubectl(['apply', '--server-side', `--field-manager=${manager}`, '-f', '-'], manifest);
    expect(
      (
        await apply(
          'runner',
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {a: "1", b: "2"}\n',
        )
      ).exitCode,
    ).toBe(0);
    expect(
      (
        await apply(
          'other',
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {c: "3"}\n',
        )
      ).exitCode,
    ).toBe(0);
    expect(
      (
        await apply(
          'runner',
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {a: "1"}\n',
        )
      ).exitCode,
    ).toBe(0);
    const configMap = JSON.parse(
      (await sandbox.kubectl(['get', 'configmap', 'c', '-o', 'json', '--show-managed-fields'])).stdout,
    );
    expect(configMap.data).toEqual({ a: '1', c: '3' });
    expect(
      configMap.metadata.managedFields
        .map((entry: { manager: string; operation: string }) => `${entry.manager}/${entry.operation}`)
        .sort(),
    ).toEqual(['other/Apply', 'runner/Apply']);

    // Another applier's field set to another value: the API server's 409, in kubectl's words; --force-conflicts takes it over.
    const conflict = await apply(
      'runner',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {a: "1", c: "4"}\n',
    );
    expect(conflict.exitCode).toBe(1);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "other": .data.c');
    expect(JSON.parse((await sandbox.kubectl(['get', 'configmap', 'c', '-o', 'json'])).stdout).data).toEqual({
      a: '1',
      c: '3',
    });
    const forced = await sandbox.kubectl(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=runner', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {a: "1", c: "4"}\n',
    );
    expect(forced.exitCode, forced.stderr).toBe(0);
    const taken = JSON.parse(
      (await sandbox.kubectl(['get', 'configmap', 'c', '-o', 'json', '--show-managed-fields'])).stdout,
    );
    expect(taken.data).toEqual({ a: '1', c: '4' });
    // "other" owned only .data.c: it owns nothing now, and its entry is gone.
    expect(taken.metadata.managedFields.map((entry: { manager: string }) => entry.manager)).toEqual(['runner']);

    expect((await apply('runner', deployment(['KEEP', 'DROP']))).exitCode).toBe(0);
    expect((await apply('runner', deployment(['KEEP']))).exitCode).toBe(0);
    const hub = JSON.parse((await sandbox.kubectl(['get', 'deployment', 'hub', '-o', 'json'])).stdout);
    expect(hub.spec.template.spec.containers[0].env).toEqual([{ name: 'KEEP', value: '1' }]);
  });
});

describe('helm 4 upgrades by server-side apply', () => {
  it('a value the new release no longer renders is gone from the live object', async () => {
    const sandbox = await kubeSandbox('v33');
    const chart = `${sandbox.dir}/chart`;
    mkdirSync(`${chart}/templates`, { recursive: true });
    writeFileSync(`${chart}/Chart.yaml`, 'apiVersion: v2\nname: envs\nversion: 0.1.0\n');
    writeFileSync(
      `${chart}/templates/hub.yaml`,
      deployment(['KEEP']).replace(
        'env: [{name: KEEP, value: "1"}]',
        'env:\n        - {name: KEEP, value: "1"}\n        {{- range .Values.extraEnv }}\n        - {name: {{ . }}, value: "1"}\n        {{- end }}',
      ),
    );
    const install = await sandbox.helm([
      'upgrade',
      '--install',
      'envs',
      chart,
      '--namespace',
      'default',
      '--set',
      'extraEnv={EXTRA}',
    ]);
    expect(install.exitCode, install.stderr).toBe(0);
    const env = async () =>
      JSON.parse((await sandbox.kubectl(['get', 'deployment', 'hub', '-o', 'json'])).stdout).spec.template.spec
        .containers[0].env;
    expect(await env()).toEqual([
      { name: 'KEEP', value: '1' },
      { name: 'EXTRA', value: '1' },
    ]);
    // Without values helm would reuse the release's: --reset-values renders the chart's own defaults.
    const upgrade = await sandbox.helm([
      'upgrade',
      '--install',
      'envs',
      chart,
      '--namespace',
      'default',
      '--reset-values',
    ]);
    expect(upgrade.exitCode, upgrade.stderr).toBe(0);
    expect(await env()).toEqual([{ name: 'KEEP', value: '1' }]);
  });
});
