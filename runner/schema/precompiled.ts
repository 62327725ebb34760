import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

export const generatedDir = 'generated';

export function validatorFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.cjs`;
}

/** A validator generated at build time (ajv standalone), or undefined when running from sources. */
export function loadPrecompiled(name: string): ValidateFunction | undefined {
  try {
    const loaded = require(`./${generatedDir}/${validatorFileName(name)}`) as { default?: ValidateFunction } & ValidateFunction;
    return loaded.default ?? loaded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
