import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../helpers/kube-sandbox.js';

const chart = fileURLToPath(new URL('../../fixtures/charts/tiny', import.meta.url));

describe.each(['v33', 'v30'] as const)('the real helm of toolchain %s on the simulated API server', (toolchain) => {
  it('installs, upgrades, reports and uninstalls a release', async () => {
    const sandbox = await kubeSandbox(toolchain);
    const install = await sandbox.helm([
      'upgrade',
      '--install',
      'jhub',
      chart,
      '--namespace',
      'jhub',
      '--create-namespace',
      '--wait',
      '--timeout',
      '30s',
    ]);
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('STATUS: deployed');
    const configmap = JSON.parse(
      (await sandbox.kubectl(['get', 'configmap', 'jhub-config', '-n', 'jhub', '-o', 'json'])).stdout,
    );
    expect(configmap.data).toEqual({ greeting: 'hello' });

    expect(
      (await sandbox.helm(['upgrade', '--install', 'jhub', chart, '--namespace', 'jhub', '--set', 'greeting=hi']))
        .exitCode,
    ).toBe(0);
    const [release] = JSON.parse((await sandbox.helm(['list', '--namespace', 'jhub', '--output', 'json'])).stdout);
    expect(release).toMatchObject({
      name: 'jhub',
      namespace: 'jhub',
      revision: '2',
      status: 'deployed',
      chart: 'tiny-0.1.0',
    });
    expect(
      JSON.parse((await sandbox.helm(['get', 'values', 'jhub', '--namespace', 'jhub', '--output', 'json'])).stdout),
    ).toEqual({ greeting: 'hi' });
    const secrets = JSON.parse(
      (await sandbox.kubectl(['get', 'secrets', '-n', 'jhub', '-l', 'owner=helm', '-o', 'json'])).stdout,
    );
    expect(secrets.items.map((secret: any) => secret.metadata.name).sort()).toEqual([
      'sh.helm.release.v1.jhub.v1',
      'sh.helm.release.v1.jhub.v2',
    ]);

    expect((await sandbox.helm(['uninstall', 'jhub', '--namespace', 'jhub'])).stdout).toBe(
      'release "jhub" uninstalled',
    );
    expect(JSON.parse((await sandbox.helm(['list', '--namespace', 'jhub', '--output', 'json'])).stdout)).toEqual([]);
    expect((await sandbox.kubectl(['get', 'configmap', 'jhub-config', '-n', 'jhub'])).exitCode).toBe(1);
    expect((await sandbox.kubectl(['get', 'namespace', 'jhub'])).exitCode).toBe(0);
  });
});
