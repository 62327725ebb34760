import { isMap, parseDocument } from 'yaml';
import { compileOperations, editObjects, type OperationSpec } from './apply-ops.js';
import { yamlTarget } from './yaml-target.js';
import { documentAsItem, itemAsDocument, splitListItems, usesAlias } from './list-items.js';

export interface ListEdit {
  text: string;
  changed: number;
  objects: number;
}

/**
 * Edits the items of a large `kubectl get -o yaml` list one item at a time: each item is parsed on
 * its own, so memory stays near the file's size, and an item no operation touches is written back
 * byte for byte. Returns undefined when the file is not that simple shape (or an item does not
 * parse alone, as with an alias to another item): the caller then edits the file whole.
 */
export function editListItems(
  text: string,
  operations: OperationSpec[],
  each: string,
  indentSeq: boolean,
): ListEdit | undefined {
  const list = splitListItems(text, each);
  if (!list) return undefined;
  const compiled = compileOperations(operations);
  const output: string[] = [...list.head];
  let changed = 0;
  let objects = 0;
  for (const lines of list.items) {
    const document = parseDocument(itemAsDocument(lines, list.indent), { uniqueKeys: false, prettyErrors: false });
    if (document.errors.length > 0 || usesAlias(document)) return undefined;
    if (!isMap(document.contents)) {
      output.push(...lines);
      continue;
    }
    const result = editObjects(compiled, [yamlTarget(document.contents, document)]);
    changed += result.changed;
    if (result.kept.length === 0) continue;
    objects += 1;
    if (result.changed === 0) output.push(...lines);
    else output.push(...documentAsItem(document.toString({ lineWidth: 0, indentSeq }), list.indent));
  }
  // An emptied list is written `[]` by the whole-file path; leave that case to it.
  if (output.length === list.head.length) return undefined;
  output.push(...list.tail);
  return { text: output.join('\n'), changed, objects };
}
