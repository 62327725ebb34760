import type { AnyPlugin } from '../plugin-contract/contract.js';
import { builtinPlugins } from '../plugins/registry.js';
import { didYouMeanHint } from '../input/did-you-mean.js';
import { ExitCode } from '../exit-codes.js';
import type { AppIO } from './app-io.js';

type Schema = {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  $ref?: string;
};

/** A schema's type as a person reads it: `string`, `list of string`, `"a" | "b"`, `map`. */
function typeOf(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(' | ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'values'}`;
  if (schema.type === 'object') return 'map';
  if (schema.$ref) return schema.$ref.replace(/^.*[/#]/, '');
  return schema.type ?? 'any';
}

/** One argument as `run doc` shows it: its name, notes (type, required, default) and meaning. */
interface ArgumentDoc {
  name: string;
  type: string;
  required: boolean;
  defaults: string[];
  description: string;
}

function argumentDocs(plugin: AnyPlugin): ArgumentDoc[] {
  const schema = plugin.schema as Schema;
  const required = new Set(schema.required ?? []);
  const fromVars = plugin.argsFromVars ?? {};
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeOf(property),
    required: required.has(name),
    // The default is the schema's, the one the validator fills in: descriptions do not repeat it.
    defaults: [
      ...(property.default !== undefined ? [JSON.stringify(property.default)] : []),
      ...(fromVars[name] ? [`the ${fromVars[name]} variable`] : []),
    ],
    description: property.description ?? '',
  }));
}

/** The keys every registered result has, before the plugin's own. */
const resultKeysShown = ['status', 'changed', 'rc', 'stdout', 'stderr', 'stdout_lines'];

/** One plugin's reference, from its schema: what `run doc <plugin>` prints. */
export function pluginDoc(plugin: AnyPlugin): string {
  const lines = [`${plugin.name}: ${plugin.summary}`, ''];
  const args = argumentDocs(plugin);
  if (args.length === 0) lines.push('(no arguments)');
  for (const arg of args) {
    const notes = [
      arg.type,
      arg.required ? 'required' : 'optional',
      ...arg.defaults.map((value) => `default: ${value}`),
    ];
    lines.push(`  ${arg.name}  (${notes.join(', ')})`);
    if (arg.description) lines.push(`      ${arg.description}`);
  }
  const defaults = Object.entries(plugin.varDefaults ?? {});
  if (defaults.length)
    lines.push(
      '',
      `Variables it falls back to: ${defaults.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ')}`,
    );
  const registers = Object.entries(plugin.registers ?? {});
  lines.push('', `register: gives ${resultKeysShown.join(', ')}${registers.length ? ', and:' : ''}`);
  for (const [key, meaning] of registers) lines.push(`  ${key}  ${meaning}`);
  if (plugin.destroys !== undefined)
    lines.push(
      '',
      `May destroy what users' data depends on: ${plugin.destroys}. An apply asks once, up front, and goes ahead only with a verified backup.`,
    );
  return `${lines.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The same reference as Markdown, for the README's plugin section (`npm run docs` writes it there). */
export function pluginMarkdown(plugin: AnyPlugin): string {
  const lines = ['| argument | type | default | meaning |', '|---|---|---|---|'];
  for (const arg of argumentDocs(plugin)) {
    const type = `${arg.type}${arg.required ? ', required' : ''}`;
    lines.push(
      `| \`${arg.name}\` | ${cell(type)} | ${cell(arg.defaults.join(', else '))} | ${cell(arg.description)} |`,
    );
  }
  const registers = Object.entries(plugin.registers ?? {});
  if (registers.length)
    lines.push(
      '',
      `\`register:\` gives, besides the result's own keys: ${registers.map(([key, meaning]) => `\`${key}\`: ${meaning}`).join('; ')}.`,
    );
  if (plugin.destroys !== undefined)
    lines.push(
      '',
      `May destroy what users' data depends on: ${plugin.destroys}; an apply confirms it and wants a verified backup.`,
    );
  return `${lines.join('\n')}\n`;
}

/** `run doc [plugin]`: every plugin with its summary, or one plugin's arguments; an unknown name is exit 3 with the closest one. */
export function printPluginDoc(
  name: string | undefined,
  io: Pick<AppIO, 'stdout' | 'stderr'>,
  plugins: readonly AnyPlugin[] = builtinPlugins,
): number {
  if (name === undefined) {
    const width = Math.max(...plugins.map((plugin) => plugin.name.length));
    io.stdout.write(
      `${plugins.map((plugin) => `${plugin.name.padEnd(width)}  ${plugin.summary}`).join('\n')}\n\nrun doc <plugin> shows its arguments.\n`,
    );
    return ExitCode.ok;
  }
  const plugin = plugins.find((candidate) => candidate.name === name);
  if (!plugin) {
    const hint = didYouMeanHint(
      name,
      plugins.map((candidate) => candidate.name),
    );
    io.stderr.write(`error: no plugin named ${name}${hint ? `; ${hint}` : ''} (run doc lists them)\n`);
    return ExitCode.invalidInput;
  }
  io.stdout.write(pluginDoc(plugin));
  return ExitCode.ok;
}

/** The README's block for one plugin: its Markdown reference between markers that `npm run docs` rewrites. */
export function readmeBlock(plugin: AnyPlugin): string {
  return [
    `<!-- run doc ${plugin.name}: written by npm run docs from the schema; edit the plugin, not this -->`,
    `<details><summary>Arguments of <code>${plugin.name}</code>, what it registers${plugin.destroys === undefined ? '' : ', what it may destroy'}</summary>`,
    '',
    pluginMarkdown(plugin).trimEnd(),
    '',
    '</details>',
    `<!-- end of run doc ${plugin.name} -->`,
  ].join('\n');
}

/** The plugins the README's blocks describe: every one a step names, `import_playbook` aside (it has no arguments of its own). */
export const documentedPlugins = (plugins: readonly AnyPlugin[] = builtinPlugins) =>
  plugins.filter((plugin) => plugin.name !== 'import_playbook');

/** The README with each plugin's block as the schema says now; a block not yet in it is an error to fix by hand once. */
export function withFreshBlocks(readme: string, plugins: readonly AnyPlugin[] = builtinPlugins): string {
  let text = readme;
  for (const plugin of documentedPlugins(plugins)) {
    const start = text.indexOf(`<!-- run doc ${plugin.name}:`);
    const endMarker = `<!-- end of run doc ${plugin.name} -->`;
    const end = text.indexOf(endMarker, start);
    if (start < 0 || end < 0) throw new Error(`README.md has no block for ${plugin.name}: add its two markers once`);
    text = text.slice(0, start) + readmeBlock(plugin) + text.slice(end + endMarker.length);
  }
  return text;
}
