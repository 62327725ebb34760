import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { WayBack } from '../plugin-contract/contract.js';
import { findProjectRoot } from '../project-root.js';

const quoted = (text: string) => (/^[\w./@:+=-]+$/.test(text) ? text : JSON.stringify(text));

/** Where the way back's playbook is: beside the run's own playbook, else among the project's. */
function playbookPath(playbookFile: string, name: string): string {
  const beside = join(dirname(playbookFile), name);
  if (existsSync(beside)) return beside;
  const project = join(findProjectRoot(), 'playbooks', name);
  const shown = relative(process.cwd(), project);
  return shown.startsWith('..') ? project : shown;
}

/** The command that runs a failed step's way back: its playbook, on the same site, with its variables. */
export function wayBackCommand(command: string, playbookFile: string, siteArgs: string, way: WayBack): string {
  const vars = Object.entries(way.vars).map(([name, value]) => `-e ${quoted(`${name}=${value}`)}`);
  return [command, quoted(playbookPath(playbookFile, way.playbook)), siteArgs.trim(), ...vars]
    .filter(Boolean)
    .join(' ');
}
