import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { kubeSandbox } from '../../helpers/kube-sandbox.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startKubeApiServer } from '../../../sandbox/kube/api-server.js';
import { kubeBinaries, kubernetesVersion } from '../../../sandbox/kube-binaries.js';

describe('the API a release serves, as the real kubectl of its toolchain discovers it', () => {
  it('v30 (Kubernetes 1.30): flowcontrol v1beta3 is still served, the service CIDR API is not yet', async () => {
    const sandbox = await kubeSandbox('v30');
    const versions = (await sandbox.kubectl(['api-versions'])).stdout.split('\n');
    expect(versions).toContain('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(versions).toContain('flowcontrol.apiserver.k8s.io/v1');
    expect((await sandbox.kubectl(['get', 'servicecidrs'])).stderr).toContain(
      `the server doesn't have a resource type "servicecidrs"`,
    );
    expect((await sandbox.kubectl(['version', '-o', 'json'])).stdout).toContain('"gitVersion": "v1.30.0-sim"');
  });

  it('v33 (Kubernetes 1.33): flowcontrol v1beta3 is gone, servicecidrs and ipaddresses are served, v1 preferred', async () => {
    const sandbox = await kubeSandbox('v33');
    const versions = (await sandbox.kubectl(['api-versions'])).stdout.split('\n');
    expect(versions).not.toContain('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(versions).toContain('networking.k8s.io/v1');
    const resources = (
      await sandbox.kubectl(['api-resources', '--api-group=networking.k8s.io', '-o', 'name'])
    ).stdout.split('\n');
    expect(resources).toEqual(
      expect.arrayContaining(['ipaddresses.networking.k8s.io', 'servicecidrs.networking.k8s.io']),
    );
    const flowcontrol = (await (await fetch(`${sandbox.server.url}/apis`)).json()) as {
      groups: { name: string; preferredVersion: { version: string } }[];
    };
    expect(
      flowcontrol.groups.find((group) => group.name === 'flowcontrol.apiserver.k8s.io')?.preferredVersion.version,
    ).toBe('v1');
    const openapi = (await (await fetch(`${sandbox.server.url}/openapi/v3/apis/apps/v1`)).json()) as {
      info: { version: string };
    };
    expect(openapi.info.version).toBe('v1.33.9-sim');
  });

  it("a 1.30 server lists flowcontrol's stable version first, as clients prefer it", async () => {
    const sandbox = await kubeSandbox('v30');
    const groups = (await (await fetch(`${sandbox.server.url}/apis`)).json()) as {
      groups: { name: string; versions: { version: string }[]; preferredVersion: { version: string } }[];
    };
    const flowcontrol = groups.groups.find((group) => group.name === 'flowcontrol.apiserver.k8s.io')!;
    expect(flowcontrol.versions.map((entry) => entry.version)).toEqual(['v1', 'v1beta3']);
    expect(flowcontrol.preferredVersion.version).toBe('v1');
  });
});

describe('discovery caches', () => {
  it("never speak for a server that got an earlier one's port: each server answers under a path of its own", async () => {
    const cache = await tempDir();
    const { kubectl } = await kubeBinaries('v33');
    const run = async (url: string, args: string[]) =>
      execa(kubectl, ['--server', url, '--token', 'sandbox', ...args], { reject: false, env: { KUBECACHEDIR: cache } });
    const older = await startKubeApiServer({ version: kubernetesVersion('v30') });
    const port = Number(new URL(older.url).port);
    // The 1.30 server serves flowcontrol v1beta3; kubectl caches that it does.
    expect((await run(older.url, ['get', 'flowschemas.v1beta3.flowcontrol.apiserver.k8s.io'])).exitCode).toBe(0);
    await older.close();
    const newer = await startKubeApiServer({ version: kubernetesVersion('v33'), port });
    try {
      expect(newer.url).not.toBe(older.url);
      const asked = await run(newer.url, ['get', 'flowschemas.v1beta3.flowcontrol.apiserver.k8s.io']);
      expect(asked.stderr).toContain(`the server doesn't have a resource type "flowschemas"`);
      // Outside its path the API answers nothing, as behind a proxy.
      expect((await fetch(`http://127.0.0.1:${port}/api`)).status).toBe(404);
    } finally {
      await newer.close();
    }
  });
});
