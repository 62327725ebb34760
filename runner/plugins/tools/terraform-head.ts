import { Type } from '@sinclair/typebox';

/** What every terraform (or OpenTofu) step shares: its working directory and program, their inventory defaults, and the argv prefix. */
export const terraformHead = {
  args: {
    dir: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Terraform working directory.',
      }),
    ),
    binary: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'terraform or tofu.',
      }),
    ),
  },
  fromVars: { dir: 'terraform_dir', binary: 'terraform_binary' },
  varDefaults: { terraform_binary: 'terraform' },
  argv: (args: { dir?: string; binary?: string }): string[] => [
    args.binary ?? 'terraform',
    ...(args.dir ? [`-chdir=${args.dir}`] : []),
  ],
} as const;
