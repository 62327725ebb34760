import { isMap, isScalar, visit, type Document, type LineCounter } from 'yaml';
import type { InputProblem } from './input-error.js';

/**
 * Keys a map holds twice, found with one set per map: the yaml package's own check compares each
 * new key with every earlier one, which took minutes over a values file of 100,000 keys.
 */
export function duplicateKeyProblems(file: string, document: Document.Parsed, lines: LineCounter): InputProblem[] {
  const problems: InputProblem[] = [];
  visit(document, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        const name = isScalar(key) ? `scalar:${String(key.value)}` : `node:${JSON.stringify(key)}`;
        // YAML 1.1 merge keys may repeat, as the yaml package's own check allows.
        if (name === 'scalar:<<' || !seen.has(name)) {
          seen.add(name);
          continue;
        }
        const at = lines.linePos((isScalar(key) && key.range?.[0]) || 0);
        problems.push({
          location: { file, line: at.line, col: at.col },
          message: 'invalid YAML: Map keys must be unique',
        });
      }
    },
  });
  return problems;
}
