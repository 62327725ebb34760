import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { bundledValidators } from './bundled-validators.js';

const require = createRequire(import.meta.url);

export const generatedDir = 'generated';

export function validatorFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.cjs`;
}

/** A validator generated at build time (ajv standalone), or undefined when running from sources. */
export function loadPrecompiled(name: string): ValidateFunction | undefined {
  const fileName = validatorFileName(name);
  try {
    const loaded = (bundledValidators[fileName]?.() ?? require(`./${generatedDir}/${fileName}`)) as {
      default?: ValidateFunction;
    } & ValidateFunction;
    return loaded.default ?? loaded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
