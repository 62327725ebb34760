import { Type, type TSchema } from '@sinclair/typebox';
import type { AnyPlugin } from '../plugin-contract/contract.js';
import { allowTemplates } from './allow-templates.js';
import { stepKeys } from './step-keys.js';

export const playbookSchemaId = 'https://jhub-runner.local/playbook.schema.json';

/** The step schema: common keys plus exactly one plugin key, each plugin's arguments from its own TypeBox schema. */
export function stepSchema(plugins: readonly AnyPlugin[]): TSchema {
  const pluginKeys: Record<string, TSchema> = {};
  for (const plugin of plugins) {
    pluginKeys[plugin.name] = Type.Optional(
      Type.Unsafe({ $ref: `#/definitions/${pluginArgsKey(plugin.name)}`, description: plugin.summary }),
    );
  }
  return {
    ...Type.Object({ ...stepKeys, ...pluginKeys }, { additionalProperties: false }),
    oneOf: plugins.map((plugin) => ({ required: [plugin.name] })),
  };
}

/** Each plugin's arguments are a definition of their own, so the generated validator has one small function per plugin, compiled when a step first uses it. */
function pluginArgsKey(name: string): string {
  return `plugin.${name}.args`;
}

function pluginArgsDefinitions(plugins: readonly AnyPlugin[]): Record<string, TSchema> {
  const definitions: Record<string, TSchema> = {};
  for (const plugin of plugins)
    definitions[pluginArgsKey(plugin.name)] = { ...allowTemplates(plugin.schema), description: plugin.summary };
  return definitions;
}

/** Shared sub-schemas, keyed by `$id`, each templated like the schemas that refer to them. */
export function sharedDefinitions(plugins: readonly AnyPlugin[], templated: boolean): Record<string, TSchema> {
  const definitions: Record<string, TSchema> = {};
  for (const plugin of plugins) {
    for (const shared of plugin.shared ?? [])
      definitions[String(shared.$id)] = templated ? allowTemplates(shared) : shared;
  }
  return definitions;
}

export function playbookSchema(plugins: readonly AnyPlugin[]): TSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: playbookSchemaId,
    title: 'jhub-runner playbook',
    definitions: { ...sharedDefinitions(plugins, true), ...pluginArgsDefinitions(plugins) },
    ...Type.Object(
      {
        name: Type.String({ minLength: 1, description: 'What the playbook does.' }),
        vars: Type.Optional(
          Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Unknown(), {
            additionalProperties: false,
            description: 'Variables with the lowest precedence after plugin defaults; inventory and -e override them.',
          }),
        ),
        steps: Type.Array(stepSchema(plugins), {
          minItems: 1,
          description: 'Run in order; a failed step stops the run.',
        }),
      },
      { additionalProperties: false },
    ),
  };
}
