import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { terraformDestroyPlugin } from '../../runner/plugins/terraform-destroy.js';
import { runEngine } from '../helpers/engine-harness.js';
import { recordingRunner } from '../helpers/recording-runner.js';
import { tempDir } from '../helpers/temp-dir.js';

const terraform = fileURLToPath(new URL('../../bin/sim-terraform.js', import.meta.url));
const config = readFileSync(new URL('../fixtures/cloud/cloud.sim.json', import.meta.url), 'utf8');

const steps = (body: string) => `
name: infrastructure
vars: {terraform_binary: "${terraform}"}
steps:
${body}`;

const init = '  - name: init\n    terraform.init: {dir: "{{ dir }}"}\n';
const apply = (workers = 2) => `  - name: apply\n    terraform.apply: {dir: "{{ dir }}", vars: {worker_count: ${workers}}}\n`;
const output = '  - name: outputs\n    terraform.output: {dir: "{{ dir }}"}\n    register: tf\n';
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

  it('keeps the floating IP and router through a destroy and rebuild, and the address stays', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    const built = await runEngine(steps(init + apply() + output), { dir });
    expect(built.ends.map((end) => end.status)).toEqual(['changed', 'changed', 'ok']);
    const before = JSON.parse(readFileSync(`${dir}/terraform.tfstate`, 'utf8')).resources.find((resource: any) => resource.name === 'fip').attributes.address;
    const destroyed = await runEngine(steps(destroy('[openstack_networking_floatingip_v2.fip, openstack_networking_router_v2.router]')), { dir });
    expect(destroyed.ends[0]).toMatchObject({ status: 'changed', reason: 'destroy 6 resource(s), keeping openstack_networking_floatingip_v2.fip, openstack_networking_router_v2.router' });
    const plan = destroyed.events.find((event) => event.type === 'step:plan') as { actions: { argv: string[] }[] };
    expect(plan.actions[0]!.argv.filter((word) => word.startsWith('-target='))).toHaveLength(6);
    const left = JSON.parse(readFileSync(`${dir}/terraform.tfstate`, 'utf8')).resources.map((resource: any) => resource.address);
    expect(left.sort()).toEqual(['openstack_networking_floatingip_v2.fip', 'openstack_networking_router_v2.router']);
    const again = await runEngine(steps(destroy('[openstack_networking_floatingip_v2.fip, openstack_networking_router_v2.router]')), { dir });
    expect(again.ends[0]).toMatchObject({ status: 'ok' });
    const echo = '  - name: show address\n    command: {argv: [echo, "{{ tf.outputs.floating_ip }}"]}\n';
    const rebuilt = await runEngine(steps(apply() + output + echo), { dir });
    expect(rebuilt.ends.map((end) => end.status)).toEqual(['changed', 'ok', 'changed']);
    expect(rebuilt.runner.calls.at(-1)!.argv).toEqual(['echo', before]);
    const after = JSON.parse(readFileSync(`${dir}/terraform.tfstate`, 'utf8')).resources.find((resource: any) => resource.name === 'fip').attributes.address;
    expect(after).toBe(before);
  });

  it('refuses a keep-list that terraform would not honour', async () => {
    const dir = await tempDir({ 'cloud.sim.json': config });
    await runEngine(steps(init + apply()), { dir });
    const run = await runEngine(steps(destroy('[openstack_compute_floatingip_associate_v2.fip_master]')), { dir });
    expect(run.ends[0]!.status).toBe('failed');
    expect(run.ends[0]!.error).toMatch(/would also destroy kept openstack_compute_floatingip_associate_v2\.fip_master, which depend on them/);
    expect(JSON.parse(readFileSync(`${dir}/terraform.tfstate`, 'utf8')).resources).toHaveLength(8);
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

  it('says what a keep-list destroy would do in a dry run, running nothing', async () => {
    const plan = terraformDestroyPlugin.plan({ dir: 'tf', keep: ['openstack_networking_floatingip_v2.fip'] }, undefined);
    expect(plan.reason).toBe('destroy everything in tf except openstack_networking_floatingip_v2.fip (targets come from terraform state list)');
  });
});
