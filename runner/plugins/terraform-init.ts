import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from './contract.js';
import { terraformArgs, terraformBase, terraformFromVars } from './terraform/terraform-args.js';

const schema = Type.Object({ dir: terraformArgs.dir, binary: terraformArgs.binary }, { additionalProperties: false });

/** `terraform init`; ok when the working directory is already initialised (it has .terraform/). */
export const terraformInitPlugin = definePlugin({
  name: 'terraform.init',
  summary: 'Initialise a terraform/OpenTofu working directory; ok when already initialised.',
  schema,
  varDefaults: { terraform_binary: 'terraform' },
  argsFromVars: terraformFromVars,
  async probe(args, io): Promise<boolean> {
    return io.exists(`${args.dir ?? '.'}/.terraform`);
  },
  plan(args, initialised): StepPlan {
    if (initialised) return { change: 'none', reason: `${args.dir ?? '.'} is initialised`, actions: [] };
    return { change: 'create', reason: `initialise ${args.dir ?? '.'}`, actions: [{ kind: 'exec', argv: [...terraformBase(args), 'init', '-input=false', '-no-color'] }] };
  },
});
