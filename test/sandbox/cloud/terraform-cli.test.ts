import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseTfstate } from '../../../runner/plugins/terraform/tfstate.js';
import { tempDir } from '../../helpers/temp-dir.js';

const terraform = fileURLToPath(new URL('../../../bin/sim-terraform.mjs', import.meta.url));
const config = readFileSync(new URL('../../fixtures/cloud/cloud.sim.json', import.meta.url), 'utf8');

async function tf(dir: string, args: string[], env: Record<string, string> = {}) {
  const result = await execa(terraform, [`-chdir=${dir}`, ...args], { reject: false, env });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const addresses = (dir: string) => parseTfstate(readFileSync(`${dir}/terraform.tfstate`, 'utf8')).map((instance) => instance.address);

describe('the simulated terraform', () => {
  it('refuses to plan before init, then plans with -detailed-exitcode 2 until applied and 0 after', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    expect((await tf(dir, ['plan'])).exitCode).toBe(1);
    expect((await tf(dir, ['init'])).exitCode).toBe(0);
    const before = await tf(dir, ['plan', '-detailed-exitcode']);
    expect(before.exitCode).toBe(2);
    expect(before.stdout).toContain('Plan: 8 to add, 0 to change, 0 to destroy.');
    expect((await tf(dir, ['apply', '-auto-approve'])).exitCode).toBe(0);
    const after = await tf(dir, ['plan', '-detailed-exitcode']);
    expect(after).toMatchObject({ exitCode: 0 });
    expect(after.stdout).toContain('No changes.');
    expect((await tf(dir, ['plan', '-detailed-exitcode'], { TF_VAR_worker_count: '3' })).exitCode).toBe(2);
  });

  it('destroys -target with what depends on it, and keeps the floating IP', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await tf(dir, ['init']);
    await tf(dir, ['apply', '-auto-approve']);
    const ip = JSON.parse((await tf(dir, ['output', '-json'])).stdout).floating_ip;
    expect(ip).toMatchObject({ sensitive: false, type: 'string' });
    const destroyed = await tf(dir, ['destroy', '-auto-approve', '-target=openstack_networking_network_v2.net']);
    expect(destroyed.stdout).toContain('Resources: 6 destroyed.');
    expect(addresses(dir).sort()).toEqual(['openstack_networking_floatingip_v2.fip', 'openstack_networking_router_v2.router']);
    await tf(dir, ['apply', '-auto-approve']);
    expect(JSON.parse((await tf(dir, ['output', '-json'])).stdout).floating_ip.value).toBe(ip.value);
  });

  it('lists, removes by resource or instance address, and rejects an address it does not hold', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await tf(dir, ['init']);
    await tf(dir, ['apply', '-auto-approve']);
    const listed = (await tf(dir, ['state', 'list'])).stdout.split('\n');
    expect(listed).toContain('openstack_compute_instance_v2.worker[1]');
    const removed = await tf(dir, ['state', 'rm', 'openstack_compute_instance_v2.worker']);
    expect(removed.stdout).toContain('Successfully removed 2 resource instance(s).');
    expect(addresses(dir).filter((address) => address.includes('worker'))).toEqual([]);
    const missing = await tf(dir, ['state', 'rm', 'openstack_compute_instance_v2.nothing']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('Invalid target address');
    expect(addresses(dir)).toHaveLength(6);
  });

  it('prints show -json in terraform\'s values format, and an empty document for an empty state', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await tf(dir, ['init']);
    expect(JSON.parse((await tf(dir, ['show', '-json'])).stdout)).toEqual({ format_version: '1.0' });
    await tf(dir, ['apply', '-auto-approve']);
    const shown = JSON.parse((await tf(dir, ['show', '-json'])).stdout);
    const master = shown.values.root_module.resources.find((resource: { address: string }) => resource.address === 'openstack_compute_instance_v2.master');
    expect(master).toMatchObject({ mode: 'managed', type: 'openstack_compute_instance_v2', name: 'master', values: { status: 'ACTIVE' } });
    expect(shown.values.root_module.resources.find((resource: { address: string }) => resource.address.endsWith('worker[0]')).index).toBe(0);
    expect(shown.values.outputs.floating_ip.value).toMatch(/^149\.165\./);
  });
});

describe('the simulated terraform\'s state lock', () => {
  it('is left by a killed apply, refuses every writer with terraform\'s message and the lock\'s ID, and goes only with force-unlock of that ID', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await tf(dir, ['init']);
    // What a terraform killed mid-apply leaves beside a remote backend's state.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/.terraform.tfstate.lock.info`, JSON.stringify({ ID: '2b6a4f1e-0c1d-4a5b-9e8f-7d6c5b4a3f21', Operation: 'OperationTypeApply', Info: '', Who: 'ops@admin', Version: '1.9.8', Created: '2026-12-01T10:00:00Z', Path: 'terraform.tfstate' }));
    const refused = await tf(dir, ['apply', '-auto-approve']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('Error: Error acquiring the state lock');
    expect(refused.stderr).toContain('ID:        2b6a4f1e-0c1d-4a5b-9e8f-7d6c5b4a3f21');
    expect((await tf(dir, ['plan', '-detailed-exitcode'])).exitCode).toBe(1);
    expect((await tf(dir, ['plan', '-lock=false'])).exitCode).toBe(0);
    expect(await tf(dir, ['force-unlock', '-force', 'not-the-id'])).toMatchObject({ exitCode: 1 });
    expect(await tf(dir, ['force-unlock', '-force', '2b6a4f1e-0c1d-4a5b-9e8f-7d6c5b4a3f21'])).toMatchObject({ exitCode: 0, stdout: 'Terraform state has been successfully unlocked!' });
    expect((await tf(dir, ['apply', '-auto-approve'])).exitCode).toBe(0);
  });
});
