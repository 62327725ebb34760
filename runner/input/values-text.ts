import { CORE_SCHEMA, load } from 'js-yaml';
import { LineCounter, parseDocument } from 'yaml';
import { duplicateKeyProblems } from './duplicate-keys.js';

/**
 * A values file's data, refused as helm refuses it (a syntax error, a key twice in a map), in time
 * linear in its size: the yaml package's own duplicate-key check is quadratic in a map's keys.
 */
export function parseValuesText(file: string, text: string): unknown {
  try {
    // js-yaml reads YAML 1.2's core schema, as yaml does, in a fraction of the memory (a 100 MB values
    // file); an alias, or anything it refuses, goes to yaml, for its bounds and its error messages.
    return load(text, { schema: CORE_SCHEMA, maxAliases: 0 });
  } catch {
    // Read again below.
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: false, lineCounter: lines });
  if (document.errors.length > 0) throw document.errors[0]!;
  const [duplicate] = duplicateKeyProblems(file, document, lines);
  if (duplicate)
    throw new Error(`${duplicate.message.replace(/^invalid YAML: /, '')} at line ${duplicate.location?.line}`);
  return document.toJS({ maxAliasCount: 1000 });
}
