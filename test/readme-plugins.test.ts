import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../runner/plugins/registry.js';

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

  it("lists in its tables only arguments the plugin's schema has", () => {
    const stale = paragraphs.flatMap(({ plugins, tableArguments }) => {
      const known = new Set(
        plugins.flatMap((name) =>
          Object.keys(
            (builtinPlugins.find((plugin) => plugin.name === name)?.schema as { properties?: object }).properties ?? {},
          ),
        ),
      );
      return tableArguments
        .filter((argument) => !known.has(argument))
        .map((argument) => `${plugins.join(', ')}: ${argument}`);
    });
    expect(stale).toEqual([]);
  });

  it('sends the reader to run doc for every argument', () => {
    expect(section).toContain('`run doc <plugin>`');
  });
});
