import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { terraformDestroyPlugin } from '../../runner/plugins/terraform-destroy.js';
import { parseTfstate } from '../../runner/plugins/terraform/tfstate.js';
import { fakeProbeIO } from '../helpers/fake-probe-io.js';
import { runEngine } from '../helpers/engine-harness.js';
import { recordingRunner } from '../helpers/recording-runner.js';
import { tempDir } from '../helpers/temp-dir.js';

const terraform = fileURLToPath(new URL('../../bin/sim-terraform.mjs', import.meta.url));
const config = readFileSync(new URL('../fixtures/cloud/cloud.sim.json', import.meta.url), 'utf8');

const steps = (body: string) => `
name: infrastructure
vars: {terraform_binary: "${terraform}"}
steps:
${body}`;

const init = '  - name: init\n    terraform.init: {dir: "{{ dir }}"}\n';
const apply = (workers = 2) => `  - name: apply\n    terraform.apply: {dir: "{{ dir }}", vars: {worker_count: ${workers}}}\n`;
const output = '  - name: outputs\n    terraform.output: {dir: "{{ dir }}"}\n    register: tf\n';
const stateOf = (dir: string) => parseTfstate(readFileSync(`${dir}/terraform.tfstate`, 'utf8'));
const floatingIp = (dir: string) => stateOf(dir).find((instance) => instance.name === 'fip')!.attributes.address;
const destroy = (keep: string) => `  - name: destroy\n    terraform.destroy: {dir: "{{ dir }}", keep: ${keep}}\n`;

describe('terraform plugins on the simulated cloud', () => {
  it('init and apply change once, then are ok; a new worker count changes again, via TF_VAR_', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    const first = await runEngine(steps(init + apply()), { dir });
    expect(first.ends.map((end) => [end.status, end.reason])).toEqual([
      ['changed', `initialise ${dir}`],
      ['changed', 'Plan: 8 to add, 0 to change, 0 to destroy.'],
    ]);
    const second = await runEngine(steps(init + apply()), { dir });
    expect(second.ends.map((end) => end.reason)).toEqual([`${dir} is initialised`, 'the infrastructure matches the configuration']);
    const runner = recordingRunner();
    const bigger = await runEngine(steps(init + apply(3)), { dir, runner });
    expect(bigger.ends[1]).toMatchObject({ status: 'changed', reason: 'Plan: 1 to add, 0 to change, 0 to destroy.' });
    const applyCall = runner.calls.find((call) => call.argv.includes('apply'))!;
    expect(applyCall.env).toEqual({ TF_VAR_worker_count: '3' });
    expect(applyCall.argv.join(' ')).not.toContain('worker_count');
  });

  it('refuses an apply whose plan destroys something unless allow_destroy, naming what would go', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await runEngine(steps(init + apply(3)), { dir });
    const smaller = await runEngine(steps(apply(2)), { dir });
    expect(smaller.ends[0]).toMatchObject({ status: 'failed' });
    expect(smaller.ends[0]!.reason).toBe('the plan destroys 1 resource(s) (openstack_compute_instance_v2.worker[2]); terraform.apply only destroys with allow_destroy: true');
    expect(stateOf(dir).filter((instance) => instance.name === 'worker')).toHaveLength(3);
    const allowed = await runEngine(steps(apply(2).replace('vars:', 'allow_destroy: true, vars:')), { dir });
    expect(allowed.ends[0]).toMatchObject({ status: 'changed', reason: 'Plan: 0 to add, 0 to change, 1 to destroy.' });
    expect(stateOf(dir).filter((instance) => instance.name === 'worker')).toHaveLength(2);
  });

  it('keeps the floating IP and router through a destroy and rebuild, and the address stays', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    const built = await runEngine(steps(init + apply() + output), { dir });
    expect(built.ends.map((end) => end.status)).toEqual(['changed', 'changed', 'ok']);
    const before = floatingIp(dir);
    const destroyed = await runEngine(steps(destroy('[openstack_networking_floatingip_v2.fip, openstack_networking_router_v2.router]')), { dir });
    expect(destroyed.ends[0]).toMatchObject({ status: 'changed', reason: 'destroy 6 resource(s), keeping openstack_networking_floatingip_v2.fip, openstack_networking_router_v2.router' });
    const plan = destroyed.events.find((event) => event.type === 'step:plan') as { actions: { argv: string[] }[] };
    expect(plan.actions[0]!.argv.filter((word) => word.startsWith('-target='))).toHaveLength(6);
    const left = stateOf(dir).map((instance) => instance.address);
    expect(left.sort()).toEqual(['openstack_networking_floatingip_v2.fip', 'openstack_networking_router_v2.router']);
    const again = await runEngine(steps(destroy('[openstack_networking_floatingip_v2.fip, openstack_networking_router_v2.router]')), { dir });
    expect(again.ends[0]).toMatchObject({ status: 'ok' });
    const echo = '  - name: show address\n    command: {argv: [echo, "{{ tf.outputs.floating_ip }}"]}\n';
    const rebuilt = await runEngine(steps(apply() + output + echo), { dir });
    expect(rebuilt.ends.map((end) => end.status)).toEqual(['changed', 'ok', 'changed']);
    expect(rebuilt.runner.calls.at(-1)!.argv).toEqual(['echo', before]);
    expect(floatingIp(dir)).toBe(before);
  });

  it('refuses a keep-list that terraform would not honour', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await runEngine(steps(init + apply()), { dir });
    const run = await runEngine(steps(destroy('[openstack_compute_floatingip_associate_v2.fip_master]')), { dir });
    expect(run.ends[0]!.status).toBe('failed');
    expect(run.ends[0]!.error).toMatch(/would also destroy kept openstack_compute_floatingip_associate_v2\.fip_master, which depend on them/);
    expect(stateOf(dir)).toHaveLength(8);
  });

  it('destroys everything without a keep-list, then is ok', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await runEngine(steps(init + apply()), { dir });
    const all = await runEngine(steps(destroy('[]')), { dir });
    expect(all.ends[0]).toMatchObject({ status: 'changed', reason: 'destroy 8 resource(s)' });
    expect((all.events.find((event) => event.type === 'step:plan') as { actions: { argv: string[] }[] }).actions[0]!.argv.some((word) => word.startsWith('-target='))).toBe(false);
    expect((await runEngine(steps(destroy('[]')), { dir })).ends[0]).toMatchObject({ status: 'ok', reason: 'nothing to destroy' });
  });

  it('fails with terraform\'s error when the directory is not initialised', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    const run = await runEngine(steps(apply()), { dir });
    expect(run.ends[0]!.status).toBe('failed');
    expect(run.ends[0]!.error).toContain('has not been initialized');
  });

  it('lists the keep-list targets in a dry run from the local state file, running nothing', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await runEngine(steps(init + apply()), { dir });
    const dry = await runEngine(steps(destroy('[openstack_networking_floatingip_v2.fip, openstack_networking_router_v2.router]')), { dir, mode: 'dry-run' });
    expect(dry.runner.calls).toEqual([]);
    const plan = dry.events.find((event) => event.type === 'step:plan') as { actions: { argv: string[] }[] };
    expect(plan.actions[0]!.argv.filter((word) => word.startsWith('-target=')).sort()).toEqual([
      '-target=openstack_compute_floatingip_associate_v2.fip_master',
      '-target=openstack_compute_instance_v2.master',
      '-target=openstack_compute_instance_v2.worker[0]',
      '-target=openstack_compute_instance_v2.worker[1]',
      '-target=openstack_networking_network_v2.net',
      '-target=openstack_networking_router_interface_v2.router_interface',
    ]);
    expect(dry.ends[0]).toMatchObject({ status: 'changed', reason: 'destroy 6 resource(s), keeping openstack_networking_floatingip_v2.fip, openstack_networking_router_v2.router' });
    expect(stateOf(dir)).toHaveLength(8);
  });

  it('says what a destroy would do when there is no state to read, as with a remote backend in a dry run', () => {
    const plan = terraformDestroyPlugin.plan({ dir: 'tf', keep: ['openstack_networking_floatingip_v2.fip'] }, undefined);
    expect(plan.reason).toBe('destroy everything in tf except openstack_networking_floatingip_v2.fip (targets come from terraform state list)');
  });

  it('asks terraform state list and plan -destroy when the state is not a local file', async () => {
    const calls: string[][] = [];
    const facts = await terraformDestroyPlugin.probe!({ dir: 'tf', keep: ['openstack_networking_floatingip_v2.fip'] }, fakeProbeIO({
      run: async (argv) => {
        calls.push(argv);
        if (argv.includes('list')) return { exitCode: 0, stdout: 'data.openstack_images_image_v2.ubuntu\nopenstack_networking_floatingip_v2.fip\nopenstack_compute_instance_v2.master\n', stderr: '' };
        return { exitCode: 2, stdout: '  # openstack_compute_instance_v2.master will be destroyed\n', stderr: '' };
      },
    }));
    expect(calls.map((argv) => argv.slice(0, 4))).toEqual([
      ['terraform', '-chdir=tf', 'state', 'list'],
      ['terraform', '-chdir=tf', 'plan', '-destroy'],
    ]);
    expect(calls[1]).toContain('-target=openstack_compute_instance_v2.master');
    const plan = terraformDestroyPlugin.plan({ dir: 'tf', keep: ['openstack_networking_floatingip_v2.fip'] }, facts);
    expect(plan.actions[0]).toMatchObject({ argv: expect.arrayContaining(['-target=openstack_compute_instance_v2.master']) });
    expect((plan.actions[0] as { argv: string[] }).argv.some((word) => word.includes('data.'))).toBe(false);
  });

  it('fails with a located message when the local state is not a terraform state', async () => {
    const probe = terraformDestroyPlugin.probe!({ dir: 'tf' }, fakeProbeIO({ files: { 'tf/terraform.tfstate': '{"version": 3}' } }));
    await expect(probe).rejects.toThrow('tf/terraform.tfstate: not a terraform state of format version 4 (found version 3)');
  });
});
