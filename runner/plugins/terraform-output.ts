import { Type } from '@sinclair/typebox';
import { terraformHead } from './tools/terraform-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { refuseCutShortState } from './terraform/local-state.js';

const schema = Type.Object(terraformHead.args, { additionalProperties: false });

type Outputs = Record<string, { value: unknown; sensitive?: boolean }>;

/** `terraform output -json`, registered as `outputs.<name>`; sensitive outputs are masked. */
export const terraformOutputPlugin = definePlugin({
  name: 'terraform.output',
  summary: 'Read terraform outputs (output -json) for later steps; sensitive ones are masked.',
  schema,
  registers: {
    outputs: "terraform's outputs, sensitive ones masked",
  },
  heads: [terraformHead],
  async probe(args, io): Promise<Outputs> {
    await refuseCutShortState(args.dir, io);
    const result = await io.run([...terraformHead.argv(args), 'output', '-json', '-no-color']);
    if (result.exitCode !== 0)
      throw new PlanError(`terraform output failed: ${(result.stderr || result.stdout).trim()}`);
    try {
      return JSON.parse(result.stdout || '{}') as Outputs;
    } catch {
      throw new PlanError(`cannot parse terraform output -json: ${result.stdout.slice(0, 200)}`);
    }
  },
  plan(args, facts): StepPlan {
    if (!facts) return { change: 'run', reason: `read outputs of ${args.dir ?? '.'} at run time`, actions: [] };
    const outputs = Object.fromEntries(Object.entries(facts).map(([name, output]) => [name, output.value]));
    const secrets = Object.values(facts)
      .filter((output) => output.sensitive)
      .map((output) => (typeof output.value === 'string' ? output.value : JSON.stringify(output.value)));
    return {
      change: 'none',
      reason: `read ${Object.keys(outputs).length} output(s)`,
      actions: [],
      data: { outputs },
      secrets,
    };
  },
});
