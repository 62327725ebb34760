import { Type } from '@sinclair/typebox';

/** Where terraform (or OpenTofu) runs and with what; omitted arguments come from the inventory. */
export const terraformArgs = {
  dir: Type.Optional(Type.String({ minLength: 1, description: 'Terraform working directory (default: the `terraform_dir` variable).' })),
  binary: Type.Optional(Type.String({ minLength: 1, description: 'terraform or tofu (default: the `terraform_binary` variable, else terraform).' })),
  var_files: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Variable files (-var-file), in order.' })),
  vars: Type.Optional(
    Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
      description: 'Variables, passed as TF_VAR_ environment variables so that none appears on the command line.',
      additionalProperties: false,
    }),
  ),
};

export const terraformFromVars = { dir: 'terraform_dir', binary: 'terraform_binary' } as const;

export interface TerraformArgs {
  dir?: string;
  binary?: string;
  var_files?: string[];
  vars?: Record<string, string | number | boolean>;
}

export function terraformBase(args: TerraformArgs): string[] {
  return [args.binary ?? 'terraform', ...(args.dir ? [`-chdir=${args.dir}`] : [])];
}

export function variableFlags(args: TerraformArgs): string[] {
  return (args.var_files ?? []).map((file) => `-var-file=${file}`);
}

export function variableEnv(args: TerraformArgs): Record<string, string> | undefined {
  if (!args.vars) return undefined;
  return Object.fromEntries(Object.entries(args.vars).map(([name, value]) => [`TF_VAR_${name}`, String(value)]));
}
