import { parseAllDocuments, type Document } from 'yaml';

export type ParsedStream = Document.Parsed[];

export function parseStream(text: string): ParsedStream {
  const documents = parseAllDocuments(text, { uniqueKeys: false, keepSourceTokens: false });
  const list = Array.isArray(documents) ? documents : [];
  const failed = list.find((document) => document.errors.length > 0);
  if (failed) throw new Error(`invalid YAML: ${failed.errors[0]!.message.split('\n')[0]}`);
  return list;
}

/** kubectl writes list items flush with their parent key; keep whichever style the file already has. */
export function detectIndentSeq(text: string): boolean {
  const match = /^( *)[^\s#-][^\n]*:\n( *)- /m.exec(text);
  return match ? match[2]!.length > match[1]!.length : true;
}

export function serializeStream(documents: ParsedStream, indentSeq: boolean): string {
  return documents
    .map((document, index) => {
      const text = document.toString({ lineWidth: 0, indentSeq });
      const needsMarker = index > 0 && !text.startsWith('---');
      return needsMarker ? `---\n${text}` : text;
    })
    .join('');
}
