import { Type } from '@sinclair/typebox';
import { terraformHead } from '../tools/terraform-head.js';

/** Where terraform (or OpenTofu) runs, with what program and variables; omitted arguments come from the inventory. */
export const terraformArgs = {
  ...terraformHead.args,
  var_files: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), { description: 'Variable files (-var-file), in order.' }),
  ),
  vars: Type.Optional(
    Type.Record(
      Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
      Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
      {
        description: 'Variables, passed as TF_VAR_ environment variables so that none appears on the command line.',
        additionalProperties: false,
      },
    ),
  ),
};

export interface TerraformArgs {
  dir?: string;
  binary?: string;
  var_files?: string[];
  vars?: Record<string, string | number | boolean>;
}

export function variableFlags(args: TerraformArgs): string[] {
  return (args.var_files ?? []).map((file) => `-var-file=${file}`);
}

export function variableEnv(args: TerraformArgs): Record<string, string> | undefined {
  if (!args.vars) return undefined;
  return Object.fromEntries(Object.entries(args.vars).map(([name, value]) => [`TF_VAR_${name}`, String(value)]));
}
