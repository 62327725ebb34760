import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../helpers/kube-sandbox.js';

const manifest = (value: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: jhub
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hub-config
  namespace: jhub
  labels:
    app: jupyterhub
data:
  value: "${value}"
`;

describe.each(['v33', 'v30'] as const)('the simulated API server driven by the real kubectl %s', (toolchain) => {
  it('apply creates, a second apply is unchanged and sends no write', async () => {
    const sandbox = await kubeSandbox(toolchain, { 'm.yaml': manifest('1') });
    const first = await sandbox.kubectl(['apply', '-f', 'm.yaml']);
    expect(first).toMatchObject({ exitCode: 0, stdout: 'namespace/jhub created\nconfigmap/hub-config created' });
    const writes = sandbox.server.mutatingRequests.length;
    const second = await sandbox.kubectl(['apply', '-f', 'm.yaml']);
    expect(second).toMatchObject({ exitCode: 0, stdout: 'namespace/jhub unchanged\nconfigmap/hub-config unchanged' });
    expect(sandbox.server.mutatingRequests.length).toBe(writes);
  });

  it('server-side apply creates, changes what the manifest changes, and diff --server-side tells them apart', async () => {
    const sandbox = await kubeSandbox(toolchain, { 'm.yaml': manifest('1'), 'm2.yaml': manifest('2') });
    expect(await sandbox.kubectl(['apply', '--server-side', '-f', 'm.yaml'])).toMatchObject({
      exitCode: 0,
      stdout: 'namespace/jhub serverside-applied\nconfigmap/hub-config serverside-applied',
    });
    expect((await sandbox.kubectl(['diff', '--server-side', '-f', 'm.yaml'])).exitCode).toBe(0);
    const changed = await sandbox.kubectl(['diff', '--server-side', '-f', 'm2.yaml']);
    expect(changed.exitCode).toBe(1);
    expect(changed.stdout).toMatch(/^\+\s+value: "2"$/m);
    expect((await sandbox.kubectl(['apply', '--server-side', '-f', 'm2.yaml'])).exitCode).toBe(0);
    const stored = JSON.parse(
      (await sandbox.kubectl(['get', 'configmap', 'hub-config', '-n', 'jhub', '-o', 'json'])).stdout,
    );
    expect(stored.data.value).toBe('2');
    expect(stored.metadata.labels).toEqual({ app: 'jupyterhub' });
  });

  it('diff exits 0 when equal, 1 with the difference, and changes nothing', async () => {
    const sandbox = await kubeSandbox(toolchain, { 'm.yaml': manifest('1'), 'm2.yaml': manifest('2') });
    await sandbox.kubectl(['apply', '-f', 'm.yaml']);
    const writes = sandbox.server.mutatingRequests.length;
    expect((await sandbox.kubectl(['diff', '-f', 'm.yaml'])).exitCode).toBe(0);
    const changed = await sandbox.kubectl(['diff', '-f', 'm2.yaml']);
    expect(changed.exitCode).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+value: "1"$/m);
    expect(changed.stdout).toMatch(/^\+\s+value: "2"$/m);
    expect(sandbox.server.mutatingRequests.length).toBe(writes);
    const stored = JSON.parse(
      (await sandbox.kubectl(['get', 'configmap', 'hub-config', '-n', 'jhub', '-o', 'json'])).stdout,
    );
    expect(stored.data.value).toBe('1');
  });

  it('serves server-set metadata, label selectors and patches of each type', async () => {
    const sandbox = await kubeSandbox(toolchain, { 'm.yaml': manifest('1') });
    await sandbox.kubectl(['apply', '-f', 'm.yaml']);
    const object = JSON.parse(
      (await sandbox.kubectl(['get', 'cm', '-n', 'jhub', '-l', 'app=jupyterhub', '-o', 'json'])).stdout,
    );
    expect(object.items).toHaveLength(1);
    expect(object.items[0].metadata).toMatchObject({
      name: 'hub-config',
      namespace: 'jhub',
      uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      resourceVersion: expect.any(String),
    });
    expect(
      JSON.parse((await sandbox.kubectl(['get', 'cm', '-n', 'jhub', '-l', 'app=other', '-o', 'json'])).stdout).items,
    ).toEqual([]);
    expect(
      (
        await sandbox.kubectl([
          'patch',
          'cm',
          'hub-config',
          '-n',
          'jhub',
          '--type',
          'merge',
          '-p',
          '{"data":{"value":"m"}}',
        ])
      ).stdout,
    ).toBe('configmap/hub-config patched');
    expect(
      (
        await sandbox.kubectl([
          'patch',
          'cm',
          'hub-config',
          '-n',
          'jhub',
          '--type',
          'json',
          '-p',
          '[{"op":"replace","path":"/data/value","value":"j"}]',
        ])
      ).exitCode,
    ).toBe(0);
    expect(
      (await sandbox.kubectl(['patch', 'cm', 'hub-config', '-n', 'jhub', '-p', '{"data":{"other":"s"}}'])).exitCode,
    ).toBe(0);
    const patched = JSON.parse((await sandbox.kubectl(['get', 'cm', 'hub-config', '-n', 'jhub', '-o', 'json'])).stdout);
    expect(patched.data).toEqual({ value: 'j', other: 's' });
    expect(
      (
        await sandbox.kubectl([
          'patch',
          'cm',
          'hub-config',
          '-n',
          'jhub',
          '--type',
          'merge',
          '-p',
          '{"data":{"value":"j"}}',
        ])
      ).stdout,
    ).toBe('configmap/hub-config patched (no change)');
  });

  it('keeps PersistentVolumes cluster-wide', async () => {
    const pv =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-a}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  cinder: {volumeID: 443e9696}\n';
    const sandbox = await kubeSandbox(toolchain);
    expect((await sandbox.kubectl(['apply', '-f', '-'], pv)).exitCode).toBe(0);
    const listed = JSON.parse((await sandbox.kubectl(['get', 'pv', '-n', 'jhub', '-o', 'json'])).stdout);
    expect(
      listed.items.map((item: any) => [item.metadata.name, item.metadata.namespace, item.spec.cinder.volumeID]),
    ).toEqual([['pv-a', undefined, '443e9696']]);
  });

  it("refuses an annotation that is not a string, as the real server's decoder does", async () => {
    const sandbox = await kubeSandbox(toolchain);
    const refused = await sandbox.kubectl(
      ['create', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n  annotations:\n    checksum/auth-token: 7462\n',
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      'cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string',
    );
    expect(sandbox.server.store.entries().filter((entry) => entry.object.kind === 'ConfigMap')).toEqual([]);
  });

  it('answers a missing object and a missing namespace as the real server does', async () => {
    const sandbox = await kubeSandbox(toolchain, { 'm.yaml': manifest('1') });
    const missing = await sandbox.kubectl(['get', 'secret', 'nope', '-n', 'default']);
    expect(missing).toMatchObject({ exitCode: 1, stderr: 'Error from server (NotFound): secrets "nope" not found' });
    const noNamespace = await sandbox.kubectl(['apply', '-f', '-'], manifest('1').split('---\n')[1]);
    expect(noNamespace.exitCode).toBe(1);
    expect(noNamespace.stderr).toContain('namespaces "jhub" not found');
  });

  it('serves watches: kubectl wait --for=delete returns when another client deletes, delete --wait is clean', async () => {
    let watching = false;
    const sandbox = await kubeSandbox(
      toolchain,
      { 'm.yaml': manifest('1') },
      { log: (line) => (watching ||= /^GET \/api\/v1\/namespaces\/jhub\/configmaps\?.*watch=true/.test(line)) },
    );
    await sandbox.kubectl(['apply', '-f', 'm.yaml']);
    const waiting = sandbox.kubectl(['wait', '--for=delete', 'configmap/hub-config', '-n', 'jhub', '--timeout=20s']);
    // The delete comes once kubectl is watching, so the watch is what tells it.
    while (!watching) await new Promise((resolve) => setTimeout(resolve, 10));
    await sandbox.kubectl(['delete', 'configmap', 'hub-config', '-n', 'jhub', '--wait=false']);
    expect(await waiting).toMatchObject({ exitCode: 0, stdout: 'configmap/hub-config condition met' });
    await sandbox.kubectl(['apply', '-f', 'm.yaml']);
    expect(await sandbox.kubectl(['delete', 'configmap', 'hub-config', '-n', 'jhub', '--wait=true'])).toMatchObject({
      exitCode: 0,
      stderr: '',
    });
  });

  it('terminates a namespace, then removes it with its contents', async () => {
    const sandbox = await kubeSandbox(toolchain, { 'm.yaml': manifest('1') });
    await sandbox.kubectl(['apply', '-f', 'm.yaml']);
    expect((await sandbox.kubectl(['delete', 'namespace', 'jhub', '--wait=false'])).stdout).toBe(
      'namespace "jhub" deleted',
    );
    const blocked = await sandbox.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  namespace: jhub\n',
    );
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stderr).toContain('unable to create new content in namespace jhub because it is being terminated');
    const gone = await sandbox.kubectl(['wait', '--for=delete', 'namespace/jhub', '--timeout=10s']);
    expect(gone.exitCode).toBe(0);
    expect((await sandbox.kubectl(['get', 'cm', '-A', '-o', 'json'])).stdout).toContain('"items": []');
  });
});

describe('protobuf request bodies', () => {
  it('kubectl 1.33 typed creates (protobuf) and reads back what it wrote', async () => {
    const sandbox = await kubeSandbox('v33');
    expect(await sandbox.kubectl(['create', 'namespace', 'jhub'])).toMatchObject({
      exitCode: 0,
      stdout: 'namespace/jhub created',
    });
    expect(
      (await sandbox.kubectl(['-n', 'jhub', 'create', 'secret', 'generic', 'tokens', '--from-literal=token=abc']))
        .exitCode,
    ).toBe(0);
    expect(
      (await sandbox.kubectl(['-n', 'jhub', 'create', 'configmap', 'settings', '--from-literal=mode=hub'])).exitCode,
    ).toBe(0);
    const secret = JSON.parse((await sandbox.kubectl(['-n', 'jhub', 'get', 'secret', 'tokens', '-o', 'json'])).stdout);
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe('abc');
    expect(secret.type).toBe('Opaque');
    const configmap = JSON.parse(
      (await sandbox.kubectl(['-n', 'jhub', 'get', 'configmap', 'settings', '-o', 'json'])).stdout,
    );
    expect(configmap.data).toEqual({ mode: 'hub' });
  });
});

describe("the simulated API server's network footprint", () => {
  it('listens on loopback only, and nothing answers on its port once closed', async () => {
    const { startKubeApiServer } = await import('../../../sandbox/kube/api-server.js');
    const server = await startKubeApiServer({ controllerDelayMs: false });
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect((await fetch(`${server.url}/version`)).status).toBe(200);
    await server.close();
    await expect(fetch(`${server.url}/version`)).rejects.toThrow();
  });
});
