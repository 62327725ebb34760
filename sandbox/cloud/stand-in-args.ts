import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseTfvars, type CloudConfig } from './cloud-config.js';

/** A terraform command line as the stand-in reads it. */
export interface Invocation {
  dir: string;
  /** The command and its positional words (`apply PLANFILE`, `state rm ADDR`). */
  command: string[];
  flags: Map<string, string[]>;
  switches: Set<string>;
}

const takesValue = new Set(['var', 'var-file', 'target', 'out', 'lock-timeout']);

/** terraform's flags: `-chdir=DIR` before the command, `-name=value` or `-name value` after it. */
export function parseArgs(argv: string[]): Invocation {
  let dir = process.cwd();
  const command: string[] = [];
  const flags = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index]!;
    if (word.startsWith('-chdir=')) dir = resolve(word.slice('-chdir='.length));
    else if (word.startsWith('-')) {
      const [name, value] = word.replace(/^-+/, '').split(/=(.*)/s) as [string, string | undefined];
      if (value !== undefined) flags.set(name, [...(flags.get(name) ?? []), value]);
      else if (takesValue.has(name)) flags.set(name, [...(flags.get(name) ?? []), argv[++index]!]);
      else switches.add(name);
    } else command.push(word);
  }
  return { dir, command, flags, switches };
}

/** Variable values in terraform's order: defaults, TF_VAR_ environment, -var-file, then -var. */
export async function variables(
  invocation: Invocation,
  config: CloudConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string | number>> {
  const values: Record<string, string | number> = { ...config.variables };
  for (const [key, value] of Object.entries(env))
    if (key.startsWith('TF_VAR_') && value !== undefined) values[key.slice(7)] = value;
  for (const file of invocation.flags.get('var-file') ?? [])
    Object.assign(values, parseTfvars(await readFile(resolve(invocation.dir, file), 'utf8')));
  for (const pair of invocation.flags.get('var') ?? []) {
    const [key, value] = pair.split(/=(.*)/s) as [string, string];
    values[key] = value;
  }
  return values;
}
