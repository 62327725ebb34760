import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** With no -i the runner rehearses on the simulated site that ships with the project; a real site is always named. */
export const defaultInventory = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'inventory', 'sandbox');
