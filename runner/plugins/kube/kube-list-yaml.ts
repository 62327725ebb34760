/** About this many characters of a list's items are parsed in one call, so the parser's working memory stays small. */
const batchCharacters = 1 << 18;

/** The lines of a top-level `items:` block sequence: where it starts and ends, and where each entry starts. */
interface ItemsRegion {
  keyStart: number;
  end: number;
  entryStarts: number[];
}

/**
 * A kubectl list in YAML (`kubectl get -o yaml`), parsed one batch of items at a time: parsing all of a
 * hub's 45 MB backup in one call holds every token of it at once, over half a gigabyte. Returns
 * undefined when the text is not laid out so (the caller then parses it whole, and reports any error
 * with its position); any batch that does not read back as exactly its own entries does the same.
 */
export function loadListByItems(text: string, load: (text: string) => unknown): unknown {
  const region = itemsRegion(text);
  if (!region) return undefined;
  // A value no text can hold marks where the items were: the rest must read back with it as the top-level items.
  let marker = 'jhub-runner-items-here';
  while (text.includes(marker)) marker += '-';
  let rest: unknown;
  try {
    rest = load(`${text.slice(0, region.keyStart)}items: ${marker}\n${text.slice(region.end)}`);
  } catch {
    return undefined;
  }
  if (!isPlainObject(rest) || rest['items'] !== marker) return undefined;
  const items: unknown[] = [];
  for (let first = 0; first < region.entryStarts.length;) {
    let last = first + 1;
    const from = region.entryStarts[first]!;
    while (last < region.entryStarts.length && region.entryStarts[last]! - from < batchCharacters) last += 1;
    const to = last < region.entryStarts.length ? region.entryStarts[last]! : region.end;
    let batch: unknown;
    try {
      batch = load(text.slice(from, to));
    } catch {
      return undefined;
    }
    if (!Array.isArray(batch) || batch.length !== last - first) return undefined;
    for (const item of batch) items.push(item);
    first = last;
  }
  return { ...rest, items };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The top-level `items:` key of a block mapping and its block sequence; undefined for any other layout. */
function itemsRegion(text: string): ItemsRegion | undefined {
  // kubectl's list starts with its apiVersion key; a tag directive would change what the batches' tags mean.
  if (!/^[A-Za-z]/.test(text) || /^%TAG/m.test(text)) return undefined;
  const key = /^items:[ \t]*(?:#[^\n]*)?\r?\n/m.exec(text);
  if (!key) return undefined;
  const entryStarts: number[] = [];
  let indent = -1;
  let position = key.index + key[0].length;
  while (position < text.length) {
    const next = text.indexOf('\n', position);
    const lineEnd = next === -1 ? text.length : next + 1;
    let column = position;
    while (text.charCodeAt(column) === 32) column += 1;
    const first = text.charCodeAt(column);
    const blankOrComment = column >= text.length || first === 10 || first === 13 || first === 35;
    if (!blankOrComment) {
      const depth = column - position;
      const after = text.charCodeAt(column + 1);
      const entry = first === 45 && (column + 1 >= text.length || after === 32 || after === 10 || after === 13);
      if (indent === -1) {
        if (!entry) return undefined;
        indent = depth;
      }
      if (depth < indent || (depth === indent && !entry)) break;
      if (depth === indent) entryStarts.push(position);
    }
    position = lineEnd;
  }
  if (entryStarts.length === 0) return undefined;
  return { keyStart: key.index, end: position, entryStarts };
}
