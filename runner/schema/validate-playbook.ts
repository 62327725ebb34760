import type { ValidateFunction } from 'ajv';
import type { AnyPlugin } from '../plugin-contract/contract.js';
import { InputError } from '../input/input-error.js';
import type { YamlSource } from '../input/yaml-source.js';
import { createAjv } from './ajv-instance.js';
import { formatSchemaErrors } from './format-errors.js';
import { playbookSchema } from './playbook-schema.js';
import { loadPrecompiled } from './precompiled.js';
import { playbookValidatorName } from './validator-names.js';

const cache = new WeakMap<readonly AnyPlugin[], ValidateFunction>();

/** `precompiled`: the build compiled the validator for exactly this list (the built-in plugins). */
function validatorFor(plugins: readonly AnyPlugin[], precompiled: boolean): ValidateFunction {
  let validate = cache.get(plugins);
  if (!validate) {
    validate =
      (precompiled ? loadPrecompiled(playbookValidatorName) : undefined) ??
      createAjv({ inlineRefs: false }).compile(playbookSchema(plugins));
    cache.set(plugins, validate);
  }
  return validate;
}

export function validatePlaybook(
  value: unknown,
  source: YamlSource,
  plugins: readonly AnyPlugin[],
  precompiled: boolean,
): void {
  const validate = validatorFor(plugins, precompiled);
  if (validate(value)) return;
  const problems = formatSchemaErrors(validate.errors ?? [], {
    locate: (path, target) => source.locate(path, target),
    pluginNames: plugins.map((plugin) => plugin.name),
    value,
  });
  throw new InputError(
    problems.length > 0
      ? problems
      : [{ location: source.locate([]), message: 'the playbook does not match its schema' }],
  );
}
