import { isMap, isScalar, parseDocument, visit, type Document } from 'yaml';

/** A one-document file cut around the block list under a top-level key, each item as its own lines. */
export interface ListItems {
  head: string[];
  items: string[][];
  tail: string[];
  /** Column of each item's `-`. */
  indent: number;
}

const plainKey = /^[A-Za-z_][\w.-]*$/;
const documentMarker = /^(?:---|\.\.\.)(?:\s|$)|^%/;

function indentation(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/**
 * Finds the items of `key:` in what `kubectl get -o yaml` writes, by lines, without parsing the items.
 * Returns undefined whenever the text is not plainly that shape (several documents, CRLF, tabs in
 * indentation, comments beside the items, a skeleton that does not parse to `key: null`), so that
 * the caller falls back to parsing the file whole.
 */
export function splitListItems(text: string, key: string): ListItems | undefined {
  if (!plainKey.test(key) || text.includes('\r')) return undefined;
  const lines = text.split('\n');
  if (lines.some((line) => documentMarker.test(line) || /^ *\t/.test(line))) return undefined;
  const keyLine = lines.findIndex((line) => line.trimEnd() === `${key}:`);
  if (keyLine < 0) return undefined;
  let first = keyLine + 1;
  while (first < lines.length && isBlank(lines[first]!)) first += 1;
  const opening = lines[first];
  if (opening === undefined || !/^ *- /.test(opening)) return undefined;
  const indent = indentation(opening);
  const items: string[][] = [];
  let end = first;
  for (; end < lines.length; end += 1) {
    const line = lines[end]!;
    if (isBlank(line) || indentation(line) > indent) {
      items.at(-1)!.push(line);
      continue;
    }
    if (indentation(line) < indent || !line.startsWith('- ', indent)) break;
    items.push([line]);
  }
  // Trailing blank lines belong to what follows the list.
  let tailStart = end;
  const last = items.at(-1)!;
  while (last.length > 1 && isBlank(last.at(-1)!)) {
    last.pop();
    tailStart -= 1;
  }
  const head = lines.slice(0, first);
  const tail = lines.slice(tailStart);
  const next = tail.find((line) => !isBlank(line));
  if (next !== undefined && indentation(next) !== 0) return undefined;
  if (!skeletonHoldsEmptyKey([...head, ...tail].join('\n'), key)) return undefined;
  return { head, items, tail, indent };
}

/** With the items cut out, the rest must read as a top-level mapping whose `key` is empty. */
function skeletonHoldsEmptyKey(skeleton: string, key: string): boolean {
  const document = parseDocument(skeleton, { uniqueKeys: false, prettyErrors: false });
  if (document.errors.length > 0 || usesAlias(document) || !isMap(document.contents)) return false;
  const value = document.contents.get(key, true);
  return isScalar(value) && value.value === null && value.source === '';
}

/** The item's lines as a document of its own: its `- ` becomes indentation. */
export function itemAsDocument(lines: string[], indent: number): string {
  const first = lines[0]!;
  return [`${' '.repeat(indent + 1)} ${first.slice(indent + 2)}`, ...lines.slice(1)].join('\n');
}

/** A serialized document back as a list item at this indentation. */
export function documentAsItem(text: string, indent: number): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  const pad = ' '.repeat(indent + 2);
  return lines.map((line, index) => (index === 0 ? `${' '.repeat(indent)}- ${line}` : line === '' ? '' : pad + line));
}

/** An alias may point into another item, which this file-splitting cannot follow. */
export function usesAlias(document: Document): boolean {
  let found = false;
  visit(document, {
    Alias: () => {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}
