import { InputError } from '../input/input-error.js';
import type { LoadedInventory } from '../load/inventory.js';
import { createAjv } from '../schema/ajv-instance.js';
import { formatSchemaErrors } from '../schema/format-errors.js';
import { loadPrecompiled } from '../schema/precompiled.js';
import { sandboxValidatorName } from '../schema/validator-names.js';
import { defaultSeedUsers, sandboxSchema } from '../../sandbox/index.js';

/** The `sandbox:` settings are checked with the rest of the input, so even a dry run refuses a broken one. */
export function checkSandboxSettings(inventories: readonly LoadedInventory[]): void {
  const site = [...inventories].reverse().find((inventory) => inventory.layer.values['sandbox'] !== undefined);
  if (!site) return;
  const value = site.layer.values['sandbox'];
  const validate = loadPrecompiled(sandboxValidatorName) ?? createAjv().compile(sandboxSchema);
  if (validate(value)) return checkServers(site, value as { seed?: { users?: number; servers?: number } | false });
  const problems = formatSchemaErrors(validate.errors ?? [], {
    locate: (path) => site.layer.locate(['sandbox', ...path]) ?? { file: site.path, line: 1, col: 1 },
    pluginNames: [],
    value,
  });
  throw new InputError(
    problems.map((problem) => ({ ...problem, message: `sandbox.${problem.message.replace(/^\(root\): /, '')}` })),
  );
}

function checkServers(site: LoadedInventory, value: { seed?: { users?: number; servers?: number } | false }): void {
  const seed = value.seed;
  const users = seed ? (seed.users ?? defaultSeedUsers) : 0;
  if (!seed || seed.servers === undefined || seed.servers <= users) return;
  const location = site.layer.locate(['sandbox', 'seed', 'servers']) ?? { file: site.path, line: 1, col: 1 };
  throw new InputError({
    location,
    message: `sandbox.seed.servers: ${seed.servers} running servers need as many users, and seed.users is ${users}`,
  });
}
