import { resolve } from 'node:path';
import { InputError } from '../input/input-error.js';
import type { SecretMasker } from '../vars/secret-masker.js';
import type { StartedWith } from './run-journal.js';

/** An -e argument as the journal keeps it: a file by its absolute path, one that holds a secret only as where it was. */
function kept(item: string, masker: SecretMasker): StartedWith['extraVars'][number] {
  if (item.startsWith('@')) return `@${resolve(item.slice(1))}`;
  if (masker.bears(item)) return { secret: item.trimStart().startsWith('{') ? '-e {...}' : `-e ${item.split('=')[0]}` };
  return item;
}

/** How this run is started, as its journal records it. */
export function startedWith(inventories: string[], extraVars: string[], masker: SecretMasker): StartedWith {
  return {
    inventories: inventories.map((path) => resolve(path)),
    extraVars: extraVars.map((item) => kept(item, masker)),
  };
}

const shown = (items: StartedWith['extraVars']) =>
  items.length
    ? items.map((item) => (typeof item === 'string' ? `-e ${item}` : `${item.secret}=…`)).join(' ')
    : 'no -e';

/**
 * The -e a resumed run uses: the ones its run was started with. New ones are refused (a resume that
 * silently ran with other values once rebuilt a site with a worker fewer) unless `override` puts them on top.
 */
export function resumedExtraVars(
  runId: string,
  recorded: StartedWith | undefined,
  given: { inventories: string[]; extraVars: string[] },
  override: boolean,
  masker: SecretMasker,
): string[] {
  if (!recorded) return given.extraVars;
  const now = startedWith(given.inventories, given.extraVars, masker);
  if (!override && now.inventories.join('\n') !== recorded.inventories.join('\n'))
    throw new InputError({
      message: `--resume: run ${runId} was started with -i ${recorded.inventories.join(' -i ')}, not -i ${now.inventories.join(' -i ')}; resume it with the same inventories, or add --override`,
    });
  const same = JSON.stringify(now.extraVars) === JSON.stringify(recorded.extraVars);
  if (given.extraVars.length > 0 && !same && !override)
    throw new InputError({
      message: `--resume: run ${runId} was started with ${shown(recorded.extraVars)}, and is resumed with them; this resume gives ${shown(now.extraVars)}. Leave out -e to resume it as it was started, or add --override to put these on top`,
    });
  if (same) return given.extraVars;
  const secrets = recorded.extraVars.filter((item): item is { secret: string } => typeof item !== 'string');
  if (secrets.length > 0 && (!override || given.extraVars.length === 0))
    throw new InputError({
      message: `--resume: run ${runId} was started with ${secrets.map((item) => item.secret).join(', ')}, which holds a secret the journal does not keep; give it again with --resume --override -e …`,
    });
  const plain = recorded.extraVars.filter((item): item is string => typeof item === 'string');
  return [...plain, ...given.extraVars];
}
