import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { duplicateKeyProblems } from './duplicate-keys.js';
import { InputError, type InputProblem } from './input-error.js';
import type { SourceLocation } from './source-location.js';
import { keepParsed, parsedBefore, type KeptParse } from './parsed-yaml-cache.js';
import { readInputText } from './read-input-file.js';
import { checkNesting, parseWithinBounds, toJSWithinBounds, YamlBoundsError } from './yaml-bounds.js';

export type PathSegment = string | number;

/** A YAML text checked without a problem: its document, parsed with positions, and its line counter. */
interface ParsedText {
  document: Document.Parsed;
  lines: LineCounter;
}

/**
 * One YAML document that can say where any value or key came from. A text this build parsed before
 * comes back as its value alone, and is parsed with positions only when a position is asked for.
 */
export class YamlSource {
  private parsed: ParsedText | undefined;
  private converted: { value: unknown } | undefined;
  private readonly passed = new Set<string>();

  constructor(
    readonly file: string,
    private readonly text: string,
    parsed: ParsedText | KeptParse,
  ) {
    if ('document' in parsed) this.parsed = parsed;
    else {
      this.converted = { value: parsed.value };
      for (const check of parsed.passed) this.passed.add(check);
    }
  }

  /** Whether this build saw exactly this text pass `check` before: a check that depends only on the text need not run again. */
  passedBefore(check: string): boolean {
    return this.passed.has(check);
  }

  /** Remembers that the text passed `check`, for the next run that reads the same text. */
  notePassed(check: string): void {
    if (this.passed.has(check)) return;
    this.passed.add(check);
    keepParsed(this.text, { value: this.value, passed: [...this.passed] });
  }

  private get document(): Document.Parsed {
    this.parsed ??= parseChecked(this.file, this.text);
    return this.parsed.document;
  }

  private get lines(): LineCounter {
    this.parsed ??= parseChecked(this.file, this.text);
    return this.parsed.lines;
  }

  /** The document as data; an alias bomb is an input error at its first alias. */
  get value(): unknown {
    if (!this.converted) {
      try {
        this.converted = { value: toJSWithinBounds(this.document) };
      } catch (error) {
        if (error instanceof YamlBoundsError)
          throw new InputError({ location: this.offsetLocation(error.offset), message: error.message });
        throw error;
      }
      keepParsed(this.text, { value: this.converted.value, passed: [...this.passed] });
    }
    return this.converted.value;
  }

  offsetLocation(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
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
    const range =
      (node as Node | undefined)?.range ?? (isPair(node) ? (node.key as Node | undefined)?.range : undefined);
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

/** Counted from the text itself: a parse that ran out of stack may not have counted every line. */
function boundsProblem(file: string, text: string, error: YamlBoundsError): InputError {
  const before = text.slice(0, error.offset);
  const line = before.split('\n').length;
  const col = error.offset - before.lastIndexOf('\n');
  return new InputError({ location: { file, line, col }, message: error.message });
}

/** One YAML document, parsed within the nesting limit; syntax errors are input errors with their positions. */
function parseChecked(file: string, text: string): ParsedText {
  const lines = new LineCounter();
  try {
    const document = parseWithinBounds(text, () =>
      parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false }),
    );
    const problems = [...syntaxProblems(file, document), ...duplicateKeyProblems(file, document, lines)];
    if (problems.length > 0) throw new InputError(problems);
    checkNesting(document);
    return { document, lines };
  } catch (error) {
    if (error instanceof YamlBoundsError) throw boundsProblem(file, text, error);
    throw error;
  }
}

/** One YAML document, as this build parsed the same text before or parsed now. */
export function parseYamlText(file: string, text: string): YamlSource {
  return new YamlSource(file, text, parsedBefore(text) ?? parseChecked(file, text));
}

/** Synchronous: input is read before anything runs, and each awaited read cost four thread-pool round trips. */
export async function readYamlFile(file: string, what: string): Promise<YamlSource> {
  return parseYamlText(file, readInputText(file, what));
}
