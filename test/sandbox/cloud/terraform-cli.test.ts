import { readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseTfstate } from '../../../runner/plugins/terraform/tfstate.js';
import { cloudOperations } from '../../../sandbox/cloud/cloud-ledger.js';
import { cloudSite, realTerraform, terraformEngines, type TerraformEngine } from '../../helpers/terraform-engines.js';

const fip = 'module.ips.terraform_data.k8s_master_fip';
const router = 'module.network.terraform_data.router';

async function site(engine: TerraformEngine) {
  const cloud = await cloudSite(engine);
  const tf = async (args: string[], env: Record<string, string> = {}) => {
    const result = await execa(cloud.terraform, [`-chdir=${cloud.dir}`, ...args], {
      reject: false,
      env: { ...cloud.env, ...env },
    });
    return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
  };
  const state = () => parseTfstate(readFileSync(`${cloud.dir}/terraform.tfstate`, 'utf8'));
  return {
    ...cloud,
    tf,
    state,
    addresses: () =>
      state()
        .map((instance) => instance.address)
        .sort(),
  };
}

/** What a run of the sandbox's configuration leaves that both terraforms must agree on, ids and timestamps aside. */
async function scenario(engine: TerraformEngine) {
  const s = await site(engine);
  const record: Record<string, unknown> = {};
  record['planBeforeInit'] = (await s.tf(['plan'])).exitCode;
  record['init'] = (await s.tf(['init', '-input=false'])).exitCode;
  record['planFresh'] = (await s.tf(['plan', '-detailed-exitcode', '-input=false'])).exitCode;
  record['apply'] = (await s.tf(['apply', '-auto-approve', '-input=false'])).exitCode;
  record['planAfter'] = (await s.tf(['plan', '-detailed-exitcode', '-input=false'])).exitCode;
  record['planMoreWorkers'] = (
    await s.tf(['plan', '-detailed-exitcode', '-input=false'], { TF_VAR_worker_count: '3' })
  ).exitCode;
  record['dependencies'] = Object.fromEntries(s.state().map((instance) => [instance.address, instance.dependencies]));
  record['outputs'] = Object.keys(JSON.parse((await s.tf(['output', '-json'])).stdout));
  await s.tf(['plan', '-destroy', '-input=false', `-target=${router}`, `-out=${s.root}/defeated.tfplan`]);
  const shown = JSON.parse((await s.tf(['show', '-json', `${s.root}/defeated.tfplan`])).stdout);
  record['defeatedKeep'] = shown.resource_changes
    .filter((change: { change: { actions: string[] } }) => change.change.actions.includes('delete'))
    .map((change: { address: string }) => change.address)
    .sort();
  record['created'] = cloudOperations(s.stateDir)
    .map((operation) => `${operation.op} ${operation.kind} ${operation.name}`)
    .sort();
  const targets = s.addresses().filter((address) => address !== fip && address !== router);
  await s.tf([
    'plan',
    '-destroy',
    '-input=false',
    ...targets.map((target) => `-target=${target}`),
    `-out=${s.root}/rebuild.tfplan`,
  ]);
  record['applySaved'] = (await s.tf(['apply', '-input=false', `${s.root}/rebuild.tfplan`])).exitCode;
  record['left'] = s.addresses();
  record['reapplySaved'] = (await s.tf(['apply', '-input=false', `${s.root}/rebuild.tfplan`])).exitCode;
  record['deleted'] = cloudOperations(s.stateDir)
    .filter((operation) => operation.op === 'delete')
    .map((operation) => `${operation.kind} ${operation.name}`)
    .sort();
  return record;
}

describe.each(terraformEngines)('the sandbox configuration under the %s terraform', (engine) => {
  it('plans, applies, destroys -target with dependents, applies a saved plan once, and records each cloud call', async () => {
    const record = await scenario(engine);
    expect(record).toMatchObject({
      planBeforeInit: 1,
      init: 0,
      planFresh: 2,
      apply: 0,
      planAfter: 0,
      planMoreWorkers: 2,
      applySaved: 0,
      reapplySaved: 1,
      outputs: ['floating_ip'],
    });
    expect(record['defeatedKeep']).toEqual([
      'module.compute.terraform_data.k8s_master',
      'module.compute.terraform_data.k8s_master_fip_association',
      'module.compute.terraform_data.k8s_node[0]',
      'module.compute.terraform_data.k8s_node[1]',
      fip,
      router,
      'module.network.terraform_data.router_interface',
    ]);
    expect(record['left']).toEqual([fip, router]);
    expect(record['deleted']).toEqual([
      'floatingip_association k8s-master-fip-association',
      'instance k8s-master',
      'instance k8s-node-1',
      'instance k8s-node-2',
      'network k8s-network',
      'router_interface k8s-router-interface',
      'subnet k8s-subnet',
    ]);
  });

  it("keeps the floating IP's address through a targeted destroy and a new apply", async () => {
    const s = await site(engine);
    await s.tf(['init', '-input=false']);
    await s.tf(['apply', '-auto-approve', '-input=false']);
    const ip = JSON.parse((await s.tf(['output', '-json'])).stdout).floating_ip;
    expect(ip).toMatchObject({ sensitive: false, type: 'string' });
    expect(ip.value).toMatch(/^149\.165\.\d+\.\d+$/);
    expect(
      (await s.tf(['destroy', '-auto-approve', '-input=false', '-target=module.network.terraform_data.network']))
        .exitCode,
    ).toBe(0);
    expect(s.addresses()).toEqual([fip, router]);
    await s.tf(['apply', '-auto-approve', '-input=false']);
    expect(JSON.parse((await s.tf(['output', '-json'])).stdout).floating_ip.value).toBe(ip.value);
  });

  it("gives the floating IP the address asked for (a twin takes its site's), and only when it is made", async () => {
    const s = await site(engine);
    await s.tf(['init', '-input=false']);
    await s.tf(['apply', '-auto-approve', '-input=false'], { TF_VAR_floating_ip_address: '203.0.113.5' });
    expect(JSON.parse((await s.tf(['output', '-json'])).stdout).floating_ip.value).toBe('203.0.113.5');
    const plan = await s.tf(['plan', '-detailed-exitcode', '-input=false'], {
      TF_VAR_floating_ip_address: '203.0.113.9',
    });
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
  });
});

describe.runIf(realTerraform.kind === 'real')('the stand-in and the real terraform', () => {
  it('agree on every exit code, dependency, output, planned deletion and cloud call of the scenario', async () => {
    const [real, standIn] = await Promise.all([scenario('real'), scenario('stand-in')]);
    expect(standIn).toEqual(real);
  });
});

describe("the stand-in terraform's state lock", () => {
  it("is left by a killed apply, refuses every writer with terraform's message and the lock's ID, and goes only with force-unlock of that ID", async () => {
    const s = await site('stand-in');
    await s.tf(['init']);
    // What a terraform killed mid-apply leaves beside a remote backend's state.
    writeFileSync(
      `${s.dir}/.terraform.tfstate.lock.info`,
      JSON.stringify({
        ID: '2b6a4f1e-0c1d-4a5b-9e8f-7d6c5b4a3f21',
        Operation: 'OperationTypeApply',
        Info: '',
        Who: 'ops@admin',
        Version: '1.11.4',
        Created: '2026-12-01T10:00:00Z',
        Path: 'terraform.tfstate',
      }),
    );
    const refused = await s.tf(['apply', '-auto-approve']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('Error: Error acquiring the state lock');
    expect(refused.stderr).toContain('ID:        2b6a4f1e-0c1d-4a5b-9e8f-7d6c5b4a3f21');
    expect((await s.tf(['plan', '-detailed-exitcode'])).exitCode).toBe(1);
    expect((await s.tf(['plan', '-lock=false'])).exitCode).toBe(0);
    expect(await s.tf(['force-unlock', '-force', 'not-the-id'])).toMatchObject({ exitCode: 1 });
    expect(await s.tf(['force-unlock', '-force', '2b6a4f1e-0c1d-4a5b-9e8f-7d6c5b4a3f21'])).toMatchObject({
      exitCode: 0,
      stdout: 'Terraform state has been successfully unlocked!',
    });
    expect((await s.tf(['apply', '-auto-approve'])).exitCode).toBe(0);
  });
});
