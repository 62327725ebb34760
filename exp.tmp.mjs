import { readFileSync } from 'node:fs';
import { parseAllDocuments, parseDocument, Lexer, Parser } from 'yaml';
const text = readFileSync('/tmp/tb/backup/pv.yaml', 'utf8');
const mode = process.argv[2];
let t = performance.now();
if (mode === 'whole') { const d = parseAllDocuments(text); }
else if (mode === 'chunks') {
  const lines = text.split('\n'); let chunks = []; let cur = [];
  for (const l of lines) { if (l.startsWith('  - ')) { if (cur.length) chunks.push(cur.join('\n')); cur = ['    ' + l.slice(4)]; } else cur.push(l); }
  chunks.push(cur.join('\n'));
  console.log('split', (performance.now()-t).toFixed(0), chunks.length);
  let n = 0; for (const c of chunks) { const d = parseDocument(c); n += d.contents?.items?.length ?? 0; }
} else if (mode === 'lex') { let n=0; for (const tok of new Lexer().lex(text)) n++; console.log(n); }
else if (mode === 'cst') { let n=0; for (const tok of new Parser().parse(text)) n++; console.log(n); }
else if (mode === 'json') { const o = JSON.parse(JSON.stringify(parseAllDocuments(text)[0].toJSON())); }
console.log(mode, (performance.now() - t).toFixed(0), 'ms', (process.memoryUsage().rss/1e6).toFixed(0), 'MB');
