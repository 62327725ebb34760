/**
 * Keys the API server writes for its own bookkeeping: a person reviewing a change never needs them,
 * and the last-applied annotation alone wraps over several lines for each object.
 */
const bookkeepingKey =
  /^(\s*)"?(kubectl\.kubernetes\.io\/last-applied-configuration|managedFields|resourceVersion)"?\s*:/;

interface Hunk {
  header: string;
  lines: string[];
}

function splitHunks(lines: readonly string[]): { head: string[]; hunks: Hunk[] } {
  const head: string[] = [];
  const hunks: Hunk[] = [];
  for (const line of lines) {
    if (line.startsWith('@@')) hunks.push({ header: line, lines: [] });
    else if (hunks.length) hunks.at(-1)!.lines.push(line);
    else head.push(line);
  }
  return { head, hunks };
}

const indentOf = (text: string) => /^\s*/.exec(text)![0].length;

/** Drops each bookkeeping key and what it holds (its indented continuation, and a JSON block's closing bracket). */
function withoutBookkeeping(lines: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const match = bookkeepingKey.exec(line.slice(1));
    if (!match) {
      kept.push(line);
      continue;
    }
    const indent = match[1]!.length;
    const opensBlock = /[[{]\s*$/.test(line);
    while (index + 1 < lines.length) {
      const next = lines[index + 1]!.slice(1);
      // A YAML list may sit at its key's own indentation (`managedFields:` then `- manager: ...`).
      if (
        next.trim() !== '' &&
        (indentOf(next) > indent || (indentOf(next) === indent && next.trimStart().startsWith('- ')))
      )
        index++;
      else if (opensBlock && indentOf(next) === indent && /^\s*[\]}],?\s*$/.test(next)) {
        index++;
        break;
      } else break;
    }
  }
  return kept;
}

/** `@@ -a,b +c,d @@` recounted for the lines a hunk keeps. */
function recount(header: string, lines: readonly string[]): string {
  const match = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(header);
  if (!match) return header;
  const old = lines.filter((line) => !line.startsWith('+') && !line.startsWith('\\')).length;
  const now = lines.filter((line) => !line.startsWith('-') && !line.startsWith('\\')).length;
  return `@@ -${match[1]},${old} +${match[2]},${now} @@${match[3]}`;
}

/** A unified diff without the server's bookkeeping; a hunk that changed nothing else is dropped. */
export function stripBookkeeping(patch: string): string {
  const { head, hunks } = splitHunks(patch.split('\n'));
  const kept = hunks.flatMap((hunk) => {
    const lines = withoutBookkeeping(hunk.lines);
    if (!lines.some((line) => line.startsWith('+') || line.startsWith('-'))) return [];
    return [lines.length === hunk.lines.length ? hunk.header : recount(hunk.header, lines), ...lines];
  });
  if (hunks.length > 0 && kept.length === 0)
    return [
      ...head,
      '(only server bookkeeping changed: managedFields, resourceVersion, last-applied-configuration)',
    ].join('\n');
  return [...head, ...kept].join('\n');
}
