import type { RunOptions } from './run-options.js';

/** The `-i` options of this run, as a command shown to the user must repeat them (empty for the sandbox). */
export function siteArgs(options: Pick<RunOptions, 'inventories'>): string {
  return options.inventories
    .map((inventory) => `-i ${/^[\w./@:+-]+$/.test(inventory) ? inventory : JSON.stringify(inventory)} `)
    .join('');
}
