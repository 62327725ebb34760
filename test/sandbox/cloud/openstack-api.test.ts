import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudsYaml } from '../../../sandbox/cloud/clouds-yaml.js';
import {
  inUseRefusal,
  newApplicationCredential,
  startOpenStackApi,
  type OpenStackApi,
} from '../../../sandbox/cloud/openstack-api.js';
import { memoryVolumeBackend, type CloudVolume } from '../../../sandbox/cloud/volume-backend.js';
import { csiVolumeMetadata } from '../../../sandbox/cloud/volume-metadata.js';
import { openstackTestsRun } from '../../helpers/openstack-client.js';
import { tempDir } from '../../helpers/temp-dir.js';

let api: OpenStackApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The simulated Keystone and Cinder with two volumes, and the real client pointed at them through a clouds.yaml. */
async function cloudWithVolumes(options: { secretInFile?: string } = {}) {
  const volumes = memoryVolumeBackend();
  const free = volumes.create(
    'pvc-free',
    1,
    undefined,
    csiVolumeMetadata({ claim: 'hub-db-dir', namespace: 'jhub', pv: 'pvc-free' }),
  );
  const busy = volumes.create('pvc-busy', 10);
  volumes.setStatus(busy.id, 'in-use');
  const credential = newApplicationCredential();
  const deleted: CloudVolume[] = [];
  api = await startOpenStackApi({
    volumes,
    credential,
    attachedTo: () => 'server-1',
    onDelete: (volume) => deleted.push(volume),
  });
  const file = join(await tempDir(), 'clouds.yaml');
  writeFileSync(
    file,
    cloudsYaml('sandbox', api.authUrl, { ...credential, secret: options.secretInFile ?? credential.secret }),
  );
  const openstack = (...argv: string[]) =>
    execa('openstack', ['--os-cloud', 'sandbox', ...argv], {
      env: { OS_CLIENT_CONFIG_FILE: file },
      extendEnv: true,
      reject: false,
    });
  return { volumes, free, busy, deleted, openstack };
}

describe.runIf(openstackTestsRun)('the simulated Keystone and Cinder, driven by the real openstack client', () => {
  it('lists volumes with their size, status, attachment and the claim their provisioner recorded', async () => {
    const { free, busy, openstack } = await cloudWithVolumes();
    const result = await openstack('volume', 'list', '--long', '--format', 'json');
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, any>[];
    expect(rows.map((row) => [row['ID'], row['Status'], row['Size']]).sort()).toEqual(
      [
        [busy.id, 'in-use', 10],
        [free.id, 'available', 1],
      ].sort(),
    );
    expect(rows.find((row) => row['ID'] === busy.id)!['Attached to'][0].server_id).toBe('server-1');
    expect(rows.find((row) => row['ID'] === free.id)!['Properties']).toMatchObject({
      'csi.storage.k8s.io/pvc/name': 'hub-db-dir',
      'csi.storage.k8s.io/pvc/namespace': 'jhub',
    });
  });

  it("shows a volume's creation time as Cinder writes it", async () => {
    const { free, openstack } = await cloudWithVolumes();
    const result = await openstack('volume', 'show', free.id, '--format', 'json', '--column', 'created_at');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  });

  it('deletes an available volume, and records the deletion', async () => {
    const { volumes, free, deleted, openstack } = await cloudWithVolumes();
    const result = await openstack('volume', 'delete', free.id);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(volumes.get(free.id)).toBeUndefined();
    expect(deleted.map((volume) => volume.id)).toEqual([free.id]);
  });

  it("refuses to delete an attached volume with Cinder's own words, and keeps it", async () => {
    const { volumes, busy, deleted, openstack } = await cloudWithVolumes();
    const result = await openstack('volume', 'delete', busy.id);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(inUseRefusal);
    expect(result.stderr).toContain('(HTTP 400)');
    expect(volumes.get(busy.id)).toBeDefined();
    expect(deleted).toEqual([]);
  });

  it('answers an unknown volume as Cinder does, so the client says it does not exist', async () => {
    const { openstack } = await cloudWithVolumes();
    const result = await openstack('volume', 'delete', '00000000-0000-0000-0000-000000000000');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("No volume with a name or ID of '00000000-0000-0000-0000-000000000000' exists");
  });

  it("refuses a wrong application credential secret with Keystone's 401, and serves nothing", async () => {
    const { openstack } = await cloudWithVolumes({ secretInFile: 'not-the-secret' });
    const result = await openstack('volume', 'list', '--format', 'json');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('The request you have made requires authentication. (HTTP 401)');
    expect(api!.requests).toEqual([]);
  });
});

describe('the simulated Cinder without a token', () => {
  it('answers 401 to a request that carries none', async () => {
    await cloudWithVolumes();
    const response = await fetch(`${api!.authUrl.replace('/identity/v3', '')}/volume/v3/x/volumes/detail`);
    expect(response.status).toBe(401);
  });
});
