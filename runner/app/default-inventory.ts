import { findProjectRoot } from '../project-root.js';
import { join } from 'node:path';

/** With no -i the runner rehearses on the simulated site that ships with the project; a real site is always named. */
export function defaultInventory(): string {
  return join(findProjectRoot(), 'inventory', 'sandbox');
}
