import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, Options } from 'ajv';
import { templateMarker } from './allow-templates.js';

const require = createRequire(import.meta.url);

/**
 * One configuration for every validator: all errors, verbose enough to name the expected keys.
 * ajv loads on first use, as a run with precompiled validators never compiles one.
 */
export function createAjv(options: Options = {}): AjvInstance {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    ...options,
  });
  ajv.addKeyword({ keyword: templateMarker, schemaType: 'boolean' });
  return ajv;
}
