import { compileOperations, editObjects, notAMap, type OperationSpec } from './apply-ops.js';
import type { ListEdit } from './edit-list-items.js';
import { plainTarget } from './plain-target.js';
import { parseValuePath } from './value-path.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The file's own indentation (kubectl writes four spaces), so an edited file differs only where it was edited. */
function indentationOf(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  return match ? match[1]! : '';
}

function parsedJson(text: string): unknown {
  if (!/^\s*[{[]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON after all (YAML flow style can start the same way): the YAML path reads it.
    return undefined;
  }
}

/**
 * Edits a JSON document, such as `kubectl get -o json` output, as data: ten times faster than
 * reading it as YAML, and written back in the same layout. Returns undefined when the text is not
 * JSON, or when the one document would be dropped; the YAML path handles those.
 */
export function editJson(
  text: string,
  operations: OperationSpec[],
  each: string | (string | number)[] | undefined,
): ListEdit | undefined {
  const document = parsedJson(text);
  if (document === undefined) return undefined;
  const compiled = compileOperations(operations);
  if (each === undefined) {
    if (!isRecord(document)) throw new Error(notAMap(Array.isArray(document) ? 'a list' : 'a single value'));
    const result = editObjects(compiled, [plainTarget(document)]);
    if (result.kept.length === 0) return undefined;
    return { text: result.changed === 0 ? text : serialize(document, text), changed: result.changed, objects: 1 };
  }
  const eachPath = parseValuePath(each);
  const list =
    typeof document === 'object' && document !== null
      ? plainTarget(document).read(eachPath)
      : { present: false, value: undefined };
  if (!list.present || !Array.isArray(list.value))
    throw new Error(`the document has no list at ${eachPath.join('.')} to edit the items of`);
  const items = list.value as unknown[];
  const targets = items.filter(isRecord).map((item) => ({ item, ...plainTarget(item) }));
  const result = editObjects(compiled, targets);
  const kept = new Set(result.kept.map((target) => target.item));
  let written = 0;
  for (const item of items) if (!isRecord(item) || kept.has(item)) items[written++] = item;
  items.length = written;
  return {
    text: result.changed === 0 ? text : serialize(document, text),
    changed: result.changed,
    objects: result.kept.length,
  };
}

function serialize(document: unknown, original: string): string {
  const indentation = indentationOf(original);
  const body = JSON.stringify(document, null, indentation);
  return original.endsWith('\n') ? `${body}\n` : body;
}
