import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../runner/plugins/registry.js';
import { documentedPlugins, readmeBlock, withFreshBlocks } from '../runner/app/plugin-doc.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const section = readme.slice(readme.indexOf('### Plugins'));
/** Each plugin paragraph of the README: the plugins its bold heading names, and the arguments its tables list. */
const paragraphs = section
  .split(/\n(?=\*\*`)/)
  .slice(1)
  .map((text) => ({
    plugins: [...text.matchAll(/\*\*`([^`]+)`\*\*/g)].map((match) => match[1]!),
    tableArguments: [...text.matchAll(/^\| ([^|]+) \|/gm)]
      .map((match) => match[1]!)
      .filter((cell) => cell !== 'argument' && !cell.startsWith('---'))
      .flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)),
  }));

describe("the README's plugin reference", () => {
  it('describes every plugin a step can name', () => {
    const described = new Set(paragraphs.flatMap((paragraph) => paragraph.plugins));
    expect(
      builtinPlugins.map((plugin) => plugin.name).filter((name) => name !== 'import_playbook' && !described.has(name)),
    ).toEqual([]);
    expect(readme).toContain('`import_playbook: other.yml`');
  });

  it("holds each plugin's arguments, registered keys and destruction exactly as its schema and run doc say now", () => {
    const stale = documentedPlugins().filter((plugin) => !readme.includes(readmeBlock(plugin)));
    expect(
      stale.map((plugin) => plugin.name),
      'run npm run docs',
    ).toEqual([]);
    expect(withFreshBlocks(readme)).toBe(readme);
  });

  it('has no hand-made argument table left beside the generated ones', () => {
    expect(section).not.toMatch(/^\| argument \| meaning \|/m);
  });

  it('sends the reader to run doc for every argument', () => {
    expect(section).toContain('`run doc <plugin>`');
  });
});
