import type { PathSegment } from '../../input/yaml-source.js';

const token = /\.?([^.[\]]+)|\[(\d+)\]|\[\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*\]/gy;

/**
 * Parses `metadata.annotations["pv.kubernetes.io/bound-by-controller"]` or `items[0].spec`;
 * a list of segments is taken as it is.
 */
export function parseValuePath(path: string | readonly (string | number)[]): PathSegment[] {
  if (Array.isArray(path)) return [...path];
  const text = path as string;
  const segments: PathSegment[] = [];
  token.lastIndex = 0;
  while (token.lastIndex < text.length) {
    const start = token.lastIndex;
    const match = token.exec(text);
    if (!match || match.index !== start) throw new Error(`cannot parse path '${text}' at character ${start + 1}`);
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(match[3].replace(/\\(.)/g, '$1'));
    else segments.push(match[4]!);
  }
  if (segments.length === 0) throw new Error('empty path');
  return segments;
}
