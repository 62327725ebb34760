import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { InputError, type InputProblem } from './input-error.js';
import type { SourceLocation } from './source-location.js';

export type PathSegment = string | number;

/** One parsed YAML document that can say where any value or key came from. */
export class YamlSource {
  constructor(
    readonly file: string,
    readonly document: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  get value(): unknown {
    return this.document.toJS({ maxAliasCount: 1000 });
  }

  /** Position of the value at `path`, or of the nearest ancestor that exists. */
  locate(path: readonly PathSegment[], target: 'value' | 'key' = 'value'): SourceLocation {
    let node: unknown = this.document.contents;
    let pair: Pair | undefined;
    let found: unknown = node;
    for (const segment of path) {
      pair = undefined;
      if (isMap(node)) {
        pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node === undefined) break;
      } else {
        break;
      }
      found = target === 'key' && pair ? pair.key : node;
    }
    return this.positionOf(found);
  }

  positionOf(node: unknown): SourceLocation {
    const range = (node as Node | undefined)?.range ?? (isPair(node) ? (node.key as Node | undefined)?.range : undefined);
    const offset = range ? range[0] : 0;
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }
}

function syntaxProblems(file: string, document: Document.Parsed): InputProblem[] {
  return document.errors.map((error) => ({
    location: { file, line: error.linePos?.[0]?.line ?? 1, col: error.linePos?.[0]?.col ?? 1 },
    message: `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
}

export function parseYamlText(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problems = syntaxProblems(file, document);
  if (problems.length > 0) throw new InputError(problems);
  return new YamlSource(file, document, lines);
}

export function parseYamlStream(file: string, text: string): YamlSource[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [];
  const problems = list.flatMap((document) => syntaxProblems(file, document));
  if (problems.length > 0) throw new InputError(problems);
  return list.map((document) => new YamlSource(file, document, lines));
}

/** Synchronous: input is read before anything runs, and each awaited read cost four thread-pool round trips. */
export async function readYamlFile(file: string, what: string): Promise<YamlSource> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError({ message: `cannot read ${what} ${file}: ${describeFsError(error)}` });
  }
  return parseYamlText(file, text);
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}
