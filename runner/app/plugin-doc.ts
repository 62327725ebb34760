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

/** One plugin's reference, from its schema: what `run doc <plugin>` prints. */
export function pluginDoc(plugin: AnyPlugin): string {
  const schema = plugin.schema as Schema;
  const required = new Set(schema.required ?? []);
  const fromVars = plugin.argsFromVars ?? {};
  const lines = [`${plugin.name}: ${plugin.summary}`, ''];
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) lines.push('(no arguments)');
  for (const [name, property] of properties) {
    const notes = [
      typeOf(property),
      required.has(name) ? 'required' : 'optional',
      // The default is the schema's, the one the validator fills in: descriptions do not repeat it.
      ...(property.default !== undefined ? [`default: ${JSON.stringify(property.default)}`] : []),
      ...(fromVars[name] ? [`default: the ${fromVars[name]} variable`] : []),
    ];
    lines.push(`  ${name}  (${notes.join(', ')})`);
    if (property.description) lines.push(`      ${property.description}`);
  }
  const defaults = Object.entries(plugin.varDefaults ?? {});
  if (defaults.length)
    lines.push(
      '',
      `Variables it falls back to: ${defaults.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ')}`,
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
