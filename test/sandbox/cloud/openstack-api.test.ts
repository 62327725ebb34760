import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudsYaml } from '../../../sandbox/cloud/clouds-yaml.js';
import {
  newApplicationCredential,
  startOpenStackApi,
  type CinderOperation,
  type OpenStackApi,
} from '../../../sandbox/cloud/openstack-api.js';
import type { CinderQuota } from '../../../sandbox/cloud/cinder-quota.js';
import { inUseRefusal } from '../../../sandbox/cloud/cinder-refusals.js';
import { memoryVolumeBackend } from '../../../sandbox/cloud/volume-backend.js';
import { csiVolumeMetadata } from '../../../sandbox/cloud/volume-metadata.js';
import { openstackTestsRun } from '../../helpers/openstack-client.js';
import { tempDir } from '../../helpers/temp-dir.js';

let api: OpenStackApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The simulated Keystone and Cinder with two volumes, and the real client pointed at them through a clouds.yaml. */
async function cloudWithVolumes(options: { secretInFile?: string; quota?: CinderQuota } = {}) {
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
  const deleted: string[] = [];
  const recorded: CinderOperation[] = [];
  api = await startOpenStackApi({
    volumes,
    credential,
    attachedTo: () => 'server-1',
    ...(options.quota ? { quota: options.quota } : {}),
    record: (operation) => {
      recorded.push(operation);
      if (operation.op === 'delete' && operation.kind === 'volume') deleted.push(operation.id);
    },
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
  // The client's interactive mode: one process and one token for every command on its standard input.
  const openstackBatch = (commands: string[]) =>
    execa('openstack', [], {
      env: { OS_CLIENT_CONFIG_FILE: file, OS_CLOUD: 'sandbox' },
      extendEnv: true,
      reject: false,
      input: commands.join('\n') + '\n',
    });
  return { volumes, free, busy, deleted, recorded, openstack, openstackBatch };
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
    expect(deleted).toEqual([free.id]);
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

describe.runIf(openstackTestsRun)(
  'snapshots and quotas of the simulated Cinder, driven by the real openstack client',
  () => {
    const snapshotCreate = (volume: string, name: string, ...options: string[]) => [
      'volume',
      'snapshot',
      'create',
      '--volume',
      volume,
      ...options,
      name,
    ];
    const limitsOf = (stdout: string) =>
      Object.fromEntries((JSON.parse(stdout) as { Name: string; Value: number }[]).map((row) => [row.Name, row.Value]));

    it("snapshots an attached volume only with --force, refusing without it in Cinder's words", async () => {
      const { busy, volumes, recorded, openstack } = await cloudWithVolumes();
      const refused = await openstack(...snapshotCreate(busy.id, 'without-force'));
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(
        `Volume ${busy.id} status must be available, but current status is: in-use. (HTTP 400)`,
      );
      expect(volumes.snapshots()).toEqual([]);
      const made = await openstack(
        ...snapshotCreate(busy.id, 'with-force', '--force', '--property', 'jhub-runner.run=r1', '-f', 'json'),
      );
      expect(made.exitCode, made.stderr).toBe(0);
      expect(JSON.parse(made.stdout)).toMatchObject({ status: 'creating', size: 10, volume_id: busy.id });
      const listed = JSON.parse((await openstack('volume', 'snapshot', 'list', '--long', '-f', 'json')).stdout);
      expect(listed).toEqual([
        expect.objectContaining({
          Name: 'with-force',
          Status: 'available',
          Volume: busy.id,
          Properties: { 'jhub-runner.run': 'r1' },
        }),
      ]);
      expect(recorded).toEqual([{ op: 'create', kind: 'snapshot', id: listed[0].ID, name: 'with-force' }]);
    });

    it('keeps a volume that has a snapshot, as Cinder does, until the snapshot is deleted', async () => {
      const { free, volumes, deleted, openstack } = await cloudWithVolumes();
      const made = await openstack(...snapshotCreate(free.id, 'keep', '-f', 'value', '-c', 'id'));
      const refused = await openstack('volume', 'delete', free.id);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain('have snapshots');
      expect(volumes.get(free.id)).toBeDefined();
      expect((await openstack('volume', 'snapshot', 'delete', made.stdout.trim())).exitCode).toBe(0);
      expect((await openstack('volume', 'delete', free.id)).exitCode).toBe(0);
      expect(deleted).toEqual([free.id]);
    });

    it('refuses a snapshot of a volume it does not have', async () => {
      const { openstack, volumes } = await cloudWithVolumes();
      const result = await openstack(...snapshotCreate('00000000-0000-0000-0000-000000000000', 'x'));
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("No volume with a name or ID of '00000000-0000-0000-0000-000000000000' exists");
      expect(volumes.snapshots()).toEqual([]);
    });

    it("refuses snapshots over the project's quota with 413, counting snapshots and gigabytes as Cinder does", async () => {
      const { free, busy, volumes, openstack } = await cloudWithVolumes({
        quota: { volumes: -1, snapshots: 2, gigabytes: 21 },
      });
      expect((await openstack(...snapshotCreate(free.id, 'one'))).exitCode).toBe(0);
      const overGigabytes = await openstack(...snapshotCreate(busy.id, 'two', '--force'));
      expect(overGigabytes.exitCode).toBe(1);
      expect(overGigabytes.stderr).toContain(
        'Requested volume or snapshot exceeds allowed gigabytes quota. Requested 10G, quota is 21G and 12G has been consumed. (HTTP 413)',
      );
      expect((await openstack(...snapshotCreate(free.id, 'two'))).exitCode).toBe(0);
      const overCount = await openstack(...snapshotCreate(free.id, 'three'));
      expect(overCount.stderr).toContain('Maximum number of snapshots allowed (2) exceeded (HTTP 413)');
      expect(volumes.snapshots()).toHaveLength(2);
      const limits = limitsOf((await openstack('limits', 'show', '--absolute', '-f', 'json')).stdout);
      expect(limits).toMatchObject({
        maxTotalSnapshots: 2,
        totalSnapshotsUsed: 2,
        maxTotalVolumeGigabytes: 21,
        totalGigabytesUsed: 13,
      });
      const quota = JSON.parse((await openstack('quota', 'show', '-f', 'json')).stdout);
      expect(quota).toMatchObject({ snapshots: 2, gigabytes: 21, volumes: -1 });
    });

    it('makes a new volume from a snapshot, of its size, and records it', async () => {
      const { busy, volumes, recorded, openstack } = await cloudWithVolumes();
      const snapshot = (
        await openstack(...snapshotCreate(busy.id, 'copy', '--force', '-f', 'value', '-c', 'id'))
      ).stdout.trim();
      const made = await openstack('volume', 'create', '--snapshot', snapshot, '-f', 'json', 'restored');
      expect(made.exitCode, made.stderr).toBe(0);
      const volume = JSON.parse(made.stdout);
      expect(volume).toMatchObject({ name: 'restored', size: 10, snapshot_id: snapshot, status: 'creating' });
      expect(volumes.get(volume.id)).toMatchObject({ status: 'available', snapshotId: snapshot });
      expect(recorded.at(-1)).toEqual({ op: 'create', kind: 'volume', id: volume.id, name: 'restored' });
      const missing = await openstack('volume', 'create', '--snapshot', '00000000-0000-0000-0000-000000000000', 'x');
      expect(missing.exitCode).toBe(1);
    });

    it('answers many commands from one client process on one token', async () => {
      const { free, busy, volumes, openstackBatch } = await cloudWithVolumes();
      const result = await openstackBatch([
        `volume snapshot create --volume ${free.id} --force -f value -c id a`,
        'volume snapshot create --volume 00000000-0000-0000-0000-000000000000 --force -f value -c id lost',
        `volume snapshot create --volume ${busy.id} --force -f value -c id b`,
      ]);
      expect(result.exitCode).toBe(0);
      expect(
        volumes
          .snapshots()
          .map((each) => each.name)
          .sort(),
      ).toEqual(['a', 'b']);
      expect(result.stderr).toContain("No volume with a name or ID of '00000000-0000-0000-0000-000000000000' exists");
      expect(api!.requests.filter((request) => request.startsWith('POST'))).toHaveLength(2);
    });
  },
);

describe('the simulated Cinder without a token', () => {
  it('answers 401 to a request that carries none', async () => {
    await cloudWithVolumes();
    const response = await fetch(`${api!.authUrl.replace('/identity/v3', '')}/volume/v3/x/volumes/detail`);
    expect(response.status).toBe(401);
  });
});
