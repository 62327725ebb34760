import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findProjectRoot } from '../project-root.js';

/** The project's playbooks with their names, as `--help` lists them: paths as typed from the current folder. */
export function playbookList(cwd: string = process.cwd()): string {
  let dir: string;
  try {
    dir = join(findProjectRoot(), 'playbooks');
  } catch {
    return '';
  }
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.yml'))
    .sort();
  const shown = (file: string) => {
    const path = relative(cwd, join(dir, file));
    return path.startsWith('..') ? join(dir, file) : path;
  };
  const width = Math.max(...files.map((file) => shown(file).length));
  const lines = files.map((file) => {
    const name = /^name:\s*(.+)$/m.exec(readFileSync(join(dir, file), 'utf8'))?.[1]?.trim() ?? '';
    return `  ${shown(file).padEnd(width)}  ${name}`;
  });
  return `\nPlaybooks:\n${lines.join('\n')}\n`;
}
