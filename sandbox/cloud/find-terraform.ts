import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The real terraform the sandbox drives, or why it drives the stand-in. */
export type TerraformChoice = { kind: 'real'; path: string; version: string } | { kind: 'stand-in'; reason: string };

/** terraform_data, which the sandbox's configuration is made of, came in terraform 1.4. */
const minimum = [1, 4];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `name` on PATH outside the given folders (the sandbox's own shims). */
export function onPath(
  name: string,
  skip: readonly string[] = [],
  path = process.env['PATH'] ?? '',
): string | undefined {
  const skipped = new Set(skip.map((dir) => resolve(dir)));
  for (const dir of path.split(delimiter)) {
    if (!dir || skipped.has(resolve(dir))) continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

function versionOf(binary: string): string | undefined {
  try {
    // Version queries are local (no checkpoint call) and read no CLI configuration that could warn.
    const text = execFileSync(binary, ['version', '-json'], {
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return (JSON.parse(text) as { terraform_version?: string }).terraform_version;
  } catch {
    return undefined;
  }
}

const cache = new Map<string, TerraformChoice>();

/** Which terraform drives the sandbox's cloud: `real` and `auto` take the one on PATH (1.4 or later), `stand-in` (or no terraform) the project's own. */
export function chooseTerraform(wanted: 'auto' | 'real' | 'stand-in', skip: readonly string[]): TerraformChoice {
  if (wanted === 'stand-in') return { kind: 'stand-in', reason: 'sandbox.terraform is stand-in' };
  const key = `${process.env['PATH']}\0${skip.join('\0')}`;
  const known = cache.get(key);
  if (known) return known;
  const path = onPath('terraform', skip);
  const version = path ? versionOf(path) : undefined;
  const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
  const usable = version !== undefined && (major > minimum[0]! || (major === minimum[0] && minor >= minimum[1]!));
  const choice: TerraformChoice =
    path && usable
      ? { kind: 'real', path, version: version! }
      : {
          kind: 'stand-in',
          reason: path
            ? `${path} is terraform ${version ?? 'of an unknown version'}; the sandbox needs 1.4 or later`
            : 'no terraform on PATH',
        };
  cache.set(key, choice);
  return choice;
}
