import { Ajv, type Options } from 'ajv';
import { templateMarker } from './allow-templates.js';

/** One configuration for every validator: all errors, verbose enough to name the expected keys. */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, ...options });
  ajv.addKeyword({ keyword: templateMarker, schemaType: 'boolean' });
  return ajv;
}
