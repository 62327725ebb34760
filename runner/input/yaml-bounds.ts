import { isAlias, isMap, isPair, isSeq, type Document, type Node, type ToJSOptions } from 'yaml';

/** Deepest nesting of maps and lists a YAML or JSON input may have: real manifests stay under twenty. */
export const maxNestingDepth = 64;

/** Most alias expansions one document may make: a few anchors are normal, a billion-laughs bomb is not. */
export const maxAliasCount = 1000;

/** A document beyond the limits, with the offset in the text where it goes beyond them. */
export class YamlBoundsError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'YamlBoundsError';
  }
}

const tooDeep = `nested more than ${maxNestingDepth} levels deep: the most a file here may nest`;

/** The offset of the first line whose indentation and open brackets go deeper than the limit: where a parser that ran out of stack gave up. */
function deepLineOffset(text: string): number {
  const indents: number[] = [];
  let flow = 0;
  let offset = 0;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
    if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
    for (let index = indent; index < line.length; index += 1) {
      const char = line[index];
      if (char === '[' || char === '{') flow += 1;
      else if (char === ']' || char === '}') flow -= 1;
      if (indents.length + flow > maxNestingDepth) return offset + index;
    }
    offset += line.length + 1;
  }
  return 0;
}

/** Runs a YAML parse; a nesting so deep that the parser runs out of stack (thrown, or caught and kept as a syntax error) becomes a located error. */
export function parseWithinBounds<T>(text: string, parse: () => T): T {
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    if (error instanceof RangeError) throw new YamlBoundsError(tooDeep, deepLineOffset(text));
    throw error;
  }
  const documents = (Array.isArray(parsed) ? parsed : [parsed]) as { errors?: { message: string }[] }[];
  if (documents.some((document) => document?.errors?.some((error) => /Maximum call stack/.test(error.message))))
    throw new YamlBoundsError(tooDeep, deepLineOffset(text));
  return parsed;
}

/** Refuses a parsed document nested deeper than the limit, at the first node that goes too deep; walks without recursion. */
export function checkNesting(document: Document.Parsed): void {
  const pending: { node: unknown; depth: number }[] = [{ node: document.contents, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth + 1 > maxNestingDepth) throw new YamlBoundsError(tooDeep, node.range?.[0] ?? 0);
    for (const item of node.items) {
      if (isPair(item)) pending.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      else pending.push({ node: item, depth: depth + 1 });
    }
  }
}

function firstAliasOffset(document: Document.Parsed): number {
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.shift();
    if (isAlias(node)) return (node as Node).range?.[0] ?? 0;
    if (isMap(node)) for (const pair of node.items) pending.push(pair.key, pair.value);
    else if (isSeq(node)) pending.push(...node.items);
  }
  return 0;
}

/** The document as plain data, refusing an alias bomb at its first alias instead of expanding it. */
export function toJSWithinBounds(document: Document.Parsed, options: ToJSOptions = {}): unknown {
  try {
    return document.toJS({ ...options, maxAliasCount });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new YamlBoundsError(
        `its aliases expand to more than ${maxAliasCount} copies (an alias bomb?): write the values out`,
        firstAliasOffset(document),
      );
    }
    throw error;
  }
}
