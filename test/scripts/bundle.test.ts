import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../runner/project-root.js';

const root = findProjectRoot();

/** Every TypeScript file under a folder of the project, relative to the root. */
const sources = (folder: string) =>
  readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file));

describe('the bundle, minified without keeping names', () => {
  it('has every error class of the runner name itself, so its name survives minification', () => {
    const unnamed: string[] = [];
    for (const file of sources('runner')) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const match of text.matchAll(/class (\w+) extends \w*Error\b[^{]*\{/g)) {
        const className = match[1]!;
        if (!text.includes(`this.name = '${className}'`)) unnamed.push(`${file}: ${className}`);
      }
    }
    expect(unnamed).toEqual([]);
  });
});
