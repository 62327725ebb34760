import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { terraformDestroyPlugin } from '../../runner/plugins/terraform-destroy.js';
import { parseTfstate, resourceValues } from '../../runner/plugins/terraform/tfstate.js';
import { processRunner } from '../../runner/exec/process-runner.js';
import { cloudOperations } from '../../sandbox/cloud/cloud-ledger.js';
import { runEngine } from '../helpers/engine-harness.js';
import { cloudSite, siteRunner, terraformEngines } from '../helpers/terraform-engines.js';

const fip = 'module.ips.terraform_data.k8s_master_fip';
const router = 'module.network.terraform_data.router';

const steps = (binary: string, body: string) => `
name: infrastructure
vars: {terraform_binary: "${binary}"}
steps:
${body}`;

const init = '  - name: init\n    terraform.init: {dir: "{{ dir }}"}\n';
const apply = (workers = 2, extra = '') =>
  `  - name: apply\n    terraform.apply: {dir: "{{ dir }}", vars: {worker_count: ${workers}}${extra}}\n`;
const output = '  - name: outputs\n    terraform.output: {dir: "{{ dir }}"}\n    register: tf\n';
const destroy = (keep: string[]) =>
  `  - name: destroy\n    terraform.destroy: {dir: "{{ dir }}", keep: ${JSON.stringify(keep)}}\n`;
const stateOf = (dir: string) => parseTfstate(readFileSync(`${dir}/terraform.tfstate`, 'utf8'));
const instanceNames = (dir: string) =>
  stateOf(dir)
    .filter((instance) => resourceValues(instance)['kind'] === 'instance')
    .map((instance) => String(resourceValues(instance)['name']))
    .sort();
const floatingIp = (dir: string) => resourceValues(stateOf(dir).find((instance) => instance.address === fip)!);
const argvOf = (run: Awaited<ReturnType<typeof runEngine>>) =>
  (run.events.find((event) => event.type === 'step:plan') as { actions: { argv: string[] }[] }).actions.map(
    (action) => action.argv,
  );

describe.each(terraformEngines)('terraform plugins on the sandbox cloud, driven by the %s terraform', (engine) => {
  async function site(cloud: { latencyMs?: number; fail?: string[] } = {}) {
    const cloudDir = await cloudSite(engine, cloud);
    const run = (
      body: string,
      options: { mode?: 'apply' | 'check' | 'dry-run'; runner?: ReturnType<typeof siteRunner> } = {},
    ) =>
      runEngine(steps(cloudDir.terraform, body), {
        dir: cloudDir.dir,
        runner: options.runner ?? siteRunner(cloudDir.env),
        ...(options.mode ? { mode: options.mode } : {}),
      });
    return { ...cloudDir, run };
  }

  it('init and apply change once, then are ok; a new worker count changes again, through a saved plan and TF_VAR_', async () => {
    const { dir, env, run } = await site();
    const first = await run(init + apply());
    expect(first.ends.map((end) => [end.status, end.reason])).toEqual([
      ['changed', `initialise ${dir}`],
      ['changed', 'Plan: 9 to add, 0 to change, 0 to destroy; instances 0 → 3'],
    ]);
    const second = await run(init + apply());
    expect(second.ends.map((end) => end.reason)).toEqual([
      `${dir} is initialised`,
      'the infrastructure matches the configuration',
    ]);
    const runner = siteRunner(env);
    const bigger = await run(init + apply(3), { runner });
    expect(bigger.ends[1]).toMatchObject({
      status: 'changed',
      reason: 'Plan: 1 to add, 0 to change, 0 to destroy; instances 3 → 4',
    });
    const planned = runner.calls.find((call) => call.argv.includes('plan'))!;
    expect(planned.env).toEqual({ TF_VAR_worker_count: '3' });
    expect(planned.argv.join(' ')).not.toContain('worker_count');
    const applied = runner.calls.find((call) => call.argv.includes('apply'))!;
    expect(applied.argv.slice(-1)[0]).toBe(
      planned.argv.find((word) => word.startsWith('-out='))!.slice('-out='.length),
    );
    expect(instanceNames(dir)).toEqual(['k8s-master', 'k8s-node-1', 'k8s-node-2', 'k8s-node-3']);
  });

  it('refuses an apply that removes an instance unless allow_destroy, naming it, with the cloud untouched', async () => {
    const { dir, stateDir, run } = await site();
    await run(init + apply(3));
    const calls = cloudOperations(stateDir).length;
    const smaller = await run(apply(2));
    expect(smaller.ends[0]).toMatchObject({ status: 'failed', refused: true });
    expect(smaller.ends[0]!.reason).toBe(
      'the plan destroys 1 resource(s) (k8s-node-3 (module.compute.terraform_data.k8s_node[2])); instances 4 → 3; terraform.apply only destroys with allow_destroy: true (scale-cluster: allow_scale_down: true, after draining the nodes); nothing was changed',
    );
    expect(cloudOperations(stateDir)).toHaveLength(calls);
    const allowed = await run(apply(2, ', allow_destroy: true'));
    expect(allowed.ends[0]).toMatchObject({
      status: 'changed',
      reason: 'Plan: 0 to add, 0 to change, 1 to destroy; instances 4 → 3',
    });
    expect(instanceNames(dir)).toEqual(['k8s-master', 'k8s-node-1', 'k8s-node-2']);
    expect(cloudOperations(stateDir).slice(calls)).toMatchObject([
      { op: 'delete', kind: 'instance', name: 'k8s-node-3' },
    ]);
  });

  it('keeps the floating IP and router through a destroy and rebuild: the same address, never deleted in the cloud', async () => {
    const { dir, stateDir, run } = await site();
    expect((await run(init + apply() + output)).ends.map((end) => end.status)).toEqual(['changed', 'changed', 'ok']);
    const before = floatingIp(dir);
    const destroyed = await run(destroy([fip, router]));
    expect(destroyed.ends[0]).toMatchObject({
      status: 'changed',
      reason: `destroy 7 resource(s), keeping ${fip}, ${router}`,
    });
    expect(argvOf(destroyed)).toHaveLength(1);
    expect(argvOf(destroyed)[0]!.slice(2, 5)).toEqual(['apply', '-input=false', '-no-color']);
    expect(argvOf(destroyed)[0]!.at(-1)).toMatch(/destroy\.tfplan$/);
    expect(
      stateOf(dir)
        .map((instance) => instance.address)
        .sort(),
    ).toEqual([fip, router]);
    const deleted = cloudOperations(stateDir).filter((operation) => operation.op === 'delete');
    expect(deleted.map((operation) => operation.kind).sort()).toEqual([
      'floatingip_association',
      'instance',
      'instance',
      'instance',
      'network',
      'router_interface',
      'subnet',
    ]);
    expect((await run(destroy([fip, router]))).ends[0]).toMatchObject({ status: 'ok' });
    const echo = '  - name: show address\n    command: {argv: [echo, "{{ tf.outputs.floating_ip }}"]}\n';
    const rebuilt = await run(apply() + output + echo);
    expect(rebuilt.ends.map((end) => end.status)).toEqual(['changed', 'ok', 'changed']);
    expect(rebuilt.runner.calls.at(-1)!.argv).toEqual(['echo', before['address']]);
    expect(floatingIp(dir)).toEqual(before);
  });

  it('refuses, before any deletion, a keep-list that a dependency defeats, naming the dependency', async () => {
    const { dir, stateDir, run } = await site();
    await run(init + apply());
    const calls = cloudOperations(stateDir).length;
    const refused = await run(destroy([fip]));
    expect(refused.ends[0]).toMatchObject({ status: 'failed', refused: true });
    expect(refused.ends[0]!.error).toBe(
      `the destroy would also take kept ${fip}: ${fip} depends on ${router}, which the destroy takes. Keep what they depend on too; nothing was destroyed`,
    );
    expect(cloudOperations(stateDir)).toHaveLength(calls);
    expect(stateOf(dir)).toHaveLength(9);
  });

  it('keeps every floating IP in the state with keep_floating_ips, whatever keep lists: refused when its router would go, kept when the router is kept', async () => {
    const { dir, stateDir, run } = await site();
    await run(init + apply());
    const before = floatingIp(dir);
    const calls = cloudOperations(stateDir).length;
    const keepingIps = (keep: string[]) =>
      `  - name: destroy\n    terraform.destroy: {dir: "{{ dir }}", keep: ${JSON.stringify(keep)}, keep_floating_ips: true}\n`;
    // An empty list, as a mistaken -e gives it: the IP is still kept, and the plan that would take it with the router is refused.
    const emptied = await run(keepingIps([]));
    expect(emptied.ends[0]).toMatchObject({ status: 'failed', refused: true });
    expect(emptied.ends[0]!.error).toContain(`the destroy would also take kept ${fip}: ${fip} depends on ${router}`);
    expect(cloudOperations(stateDir)).toHaveLength(calls);
    const kept = await run(keepingIps([router]));
    expect(kept.ends[0]).toMatchObject({
      status: 'changed',
      reason: `destroy 7 resource(s), keeping ${router}, ${fip}`,
    });
    expect(floatingIp(dir)).toEqual(before);
    expect(
      cloudOperations(stateDir).filter((operation) => operation.kind === 'floatingip' && operation.op === 'delete'),
    ).toEqual([]);
  });

  it('refuses a keep-list that leaves an instance standing', async () => {
    const { dir, run } = await site();
    await run(init + apply());
    // The worker kept with everything it depends on: terraform would leave it, and the rebuild would not recreate it.
    const refused = await run(destroy([fip, router, 'module.network', 'module.compute.terraform_data.k8s_node[1]']));
    expect(refused.ends[0]!.error).toMatch(
      /^the destroy would leave 1 instance\(s\) standing \(k8s-node-2 \(module\.compute\.terraform_data\.k8s_node\[1\]\)\)/,
    );
    expect(stateOf(dir)).toHaveLength(9);
  });

  it('destroys everything without a keep-list, then is ok', async () => {
    const { dir, run } = await site();
    await run(init + apply());
    const all = await run(destroy([]));
    expect(all.ends[0]).toMatchObject({ status: 'changed', reason: 'destroy 9 resource(s)' });
    expect(stateOf(dir)).toEqual([]);
    expect((await run(destroy([]))).ends[0]).toMatchObject({ status: 'ok', reason: 'nothing to destroy' });
  });

  it("fails with terraform's own error when the directory is not initialised", async () => {
    const { run } = await site();
    const failed = await run(apply());
    expect(failed.ends[0]!.status).toBe('failed');
    expect(failed.ends[0]!.error).toMatch(/init/);
  });

  it('previews from the local state, running nothing: a plan then its apply, never a bare destroy', async () => {
    const { dir, run } = await site();
    await run(init + apply());
    const dry = await run(destroy([fip, router]), { mode: 'dry-run' });
    expect(dry.runner.calls).toEqual([]);
    const [plan, applied] = argvOf(dry);
    expect(plan!.slice(1, 4)).toEqual([`-chdir=${dir}`, 'plan', '-destroy']);
    expect(plan!.filter((word) => word.startsWith('-target=')).sort()).toEqual(
      [
        'module.compute.terraform_data.k8s_master',
        'module.compute.terraform_data.k8s_master_fip_association',
        'module.compute.terraform_data.k8s_node[0]',
        'module.compute.terraform_data.k8s_node[1]',
        'module.network.terraform_data.network',
        'module.network.terraform_data.router_interface',
        'module.network.terraform_data.subnet',
      ].map((address) => `-target=${address}`),
    );
    expect(plan!.at(-1)).toBe('-out=<saved plan>');
    expect(applied!.slice(2)).toEqual(['apply', '-input=false', '-no-color', '<saved plan>']);
    expect(dry.ends[0]).toMatchObject({
      status: 'changed',
      reason: `destroy 7 resource(s), keeping ${fip}, ${router} (terraform's saved plan is checked before it is applied)`,
    });
    expect(stateOf(dir)).toHaveLength(9);
  });

  it('plans before it destroys where the state cannot be read, even in a preview', async () => {
    const { dir, run } = await site();
    await run(init + apply());
    rmSync(`${dir}/terraform.tfstate`);
    const dry = await run(destroy([fip, router]), { mode: 'dry-run' });
    const argv = argvOf(dry);
    expect(argv.map((words) => words[2])).toEqual(['plan', 'apply']);
    expect(argv[0]).toContain('-destroy');
    expect(argv.flat()).not.toContain('destroy');
    // The targets are named as still to come, never left out: a plan without them would take the floating IP.
    expect(argv[0]!.filter((word) => word.startsWith('-target='))).toEqual([
      `-target=<every address in the state but ${fip}, ${router}>`,
    ]);
  });

  it('applies exactly the plan it checked: a state changed in between makes terraform refuse it as stale', async () => {
    const { dir, env, run, terraform } = await site();
    await run(init + apply());
    const runner = siteRunner(env);
    const interloping = {
      calls: runner.calls,
      async run(request: Parameters<typeof runner.run>[0], signal?: AbortSignal) {
        // Someone applies a bigger cluster between the check and the apply of the saved plan.
        if (request.argv.includes('apply'))
          await processRunner.run({
            argv: [terraform, `-chdir=${dir}`, 'apply', '-auto-approve', '-input=false'],
            env: { ...env, TF_VAR_worker_count: '3' },
          });
        return runner.run(request, signal);
      },
    };
    const run2 = await run(destroy([fip, router]), { runner: interloping });
    expect(run2.ends[0]!.status).toBe('failed');
    expect(run2.ends[0]!.error).toMatch(/[Ss]aved plan is stale/);
    expect(instanceNames(dir)).toEqual(['k8s-master', 'k8s-node-1', 'k8s-node-2', 'k8s-node-3']);
  });

  it('reports a create the cloud refuses, and the next apply replaces what it left tainted', async () => {
    const refusing = await site({ fail: ['k8s-node-2'] });
    const failed = await refusing.run(init + apply());
    expect(failed.ends[1]!.status).toBe('failed');
    // terraform wraps its messages at 78 columns.
    expect(failed.ends[1]!.error!.replace(/\s+/g, ' ')).toContain('Quota exceeded for instances');
    const fixed = await cloudSite(engine);
    const again = await runEngine(steps(fixed.terraform, apply()), {
      dir: refusing.dir,
      runner: siteRunner({ ...refusing.env, JHUB_SANDBOX_CLOUD_FAIL: '' }),
    });
    expect(again.ends[0]).toMatchObject({ status: 'changed' });
    expect(again.ends[0]!.reason).toBe(
      'Plan: 1 to add, 0 to change, 1 to destroy; makes again what a failed create left tainted: k8s-node-2 (module.compute.terraform_data.k8s_node[1])',
    );
    expect(instanceNames(refusing.dir)).toEqual(['k8s-master', 'k8s-node-1', 'k8s-node-2']);
    expect(stateOf(refusing.dir).some((instance) => instance.tainted)).toBe(false);
  });

  it('runs every command as tofu when terraform_binary is tofu', async () => {
    const { tofu, env, dir } = await site();
    const runner = siteRunner(env);
    const run = await runEngine(steps(tofu, init + apply() + output + destroy([fip, router])), { dir, runner });
    expect(run.ends.map((end) => end.status)).toEqual(['changed', 'changed', 'ok', 'changed']);
    expect(new Set(runner.calls.map((call) => call.argv[0]))).toEqual(new Set([tofu]));
    expect(runner.calls.map((call) => call.argv.slice(1, 3).join(' '))).toEqual([
      `-chdir=${dir} init`,
      `-chdir=${dir} plan`,
      `-chdir=${dir} show`,
      `-chdir=${dir} apply`,
      `-chdir=${dir} output`,
      `-chdir=${dir} plan`,
      `-chdir=${dir} show`,
      `-chdir=${dir} apply`,
    ]);
  });

  it('leaves no saved plan behind', async () => {
    const { run } = await site();
    const done = await run(init + apply());
    const planFile = (
      done.events.find((event) => event.type === 'step:plan' && event.name === 'apply') as {
        actions: { argv: string[] }[];
      }
    ).actions[0]!.argv.at(-1)!;
    expect(planFile).toMatch(/\/jhub-runner-[^/]+\/apply\.tfplan$/);
    expect(existsSync(planFile)).toBe(false);
  });

  // Real terraform's local backend truncates its state file before writing it: a kill in between leaves it empty.
  if (engine === 'real') {
    it('refuses a state a kill left empty, spawning nothing, and goes on once the backup terraform named is put back', async () => {
      const { dir, stateDir, run } = await site();
      await run(init + apply() + output);
      const before = floatingIp(dir);
      await run(destroy([fip, router]));
      writeFileSync(`${dir}/terraform.tfstate`, '');
      const calls = cloudOperations(stateDir).length;
      for (const body of [apply(), destroy([fip, router]), output]) {
        const refused = await run(body);
        expect(refused.ends[0]).toMatchObject({ status: 'failed', refused: true });
        expect(refused.ends[0]!.error).toContain(
          `${dir}/terraform.tfstate.backup holds the state from before that terraform command`,
        );
        expect(refused.runner.calls).toEqual([]);
      }
      expect(cloudOperations(stateDir)).toHaveLength(calls);
      // The backup is the state before the destroy: the destroy, run again as a resume does, finds gone what it had removed.
      copyFileSync(`${dir}/terraform.tfstate.backup`, `${dir}/terraform.tfstate`);
      expect((await run(destroy([fip, router]))).ends[0]).toMatchObject({
        status: 'changed',
        reason: `destroy 7 resource(s), keeping ${fip}, ${router}`,
      });
      const resumed = await run(apply());
      expect(resumed.ends[0]).toMatchObject({
        status: 'changed',
        reason: 'Plan: 7 to add, 0 to change, 0 to destroy; instances 0 → 3',
      });
      expect(floatingIp(dir)).toEqual(before);
      expect(
        cloudOperations(stateDir)
          .slice(calls)
          .filter((operation) => operation.kind === 'floatingip' || operation.kind === 'router'),
      ).toEqual([]);
    });
  }
});

describe('terraform.destroy without facts', () => {
  it("says what it would do, and that terraform's plan is checked first", () => {
    const plan = terraformDestroyPlugin.plan({ dir: 'tf', keep: [fip] }, undefined);
    expect(plan.reason).toBe(
      `destroy everything in tf except ${fip} (targets come from the state; terraform's saved plan is checked before it is applied)`,
    );
    expect(plan.actions.map((action) => (action as { argv: string[] }).argv.slice(0, 3))).toEqual([
      ['terraform', '-chdir=tf', 'plan'],
      ['terraform', '-chdir=tf', 'apply'],
    ]);
  });
});
