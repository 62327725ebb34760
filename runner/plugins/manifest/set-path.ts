import { isCollection, isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { PathSegment } from '../../input/yaml-source.js';
import { quoteYaml11Ambiguous } from './yaml11-safe.js';

/**
 * Sets a value, creating missing or empty (null) maps on the way, and quoting new strings that
 * kubectl and helm (YAML 1.1 readers) would otherwise take for booleans or numbers.
 * Returns false, changing nothing, when a scalar or a list addressed by name is in the way.
 */
export function setPath(document: Document, root: YAMLMap, path: readonly PathSegment[], value: unknown): boolean {
  let current: unknown = root;
  for (let depth = 0; depth < path.length - 1; depth += 1) {
    const key = path[depth]!;
    if (!isCollection(current) || (isSeq(current) && typeof key !== 'number')) return false;
    const next = current.get(key, true);
    if (next === undefined || (isScalar(next) && next.value === null)) {
      if (isSeq(current)) return false;
      current.set(
        typeof key === 'string' ? quoteYaml11Ambiguous(document.createNode(key)) : key,
        document.createNode({}),
      );
      current = current.get(key, true);
      continue;
    }
    current = next;
  }
  const last = path[path.length - 1]!;
  if (!isMap(current) && !(isSeq(current) && typeof last === 'number')) return false;
  current.set(
    typeof last === 'string' ? quoteYaml11Ambiguous(document.createNode(last)) : last,
    quoteYaml11Ambiguous(document.createNode(value)),
  );
  return true;
}
