import { Type } from '@sinclair/typebox';
import { terraformHead } from './tools/terraform-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';

const schema = Type.Object(terraformHead.args, { additionalProperties: false });

/** `terraform init`; ok when the working directory is already initialised (it has .terraform/). */
export const terraformInitPlugin = definePlugin({
  name: 'terraform.init',
  summary: 'Initialise a terraform/OpenTofu working directory; ok when already initialised.',
  schema,
  heads: [terraformHead],
  async probe(args, io): Promise<boolean> {
    return io.exists(`${args.dir ?? '.'}/.terraform`);
  },
  plan(args, initialised): StepPlan {
    if (initialised) return { change: 'none', reason: `${args.dir ?? '.'} is initialised`, actions: [] };
    return {
      change: 'create',
      reason: `initialise ${args.dir ?? '.'}`,
      actions: [{ kind: 'exec', argv: [...terraformHead.argv(args), 'init', '-input=false', '-no-color'] }],
    };
  },
});
