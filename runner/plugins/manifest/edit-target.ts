import type { ReadPath } from './predicate.js';
import type { PathSegment } from '../../input/yaml-source.js';

/** One object the operations edit, whatever it is made of: a parsed YAML map or a plain JSON value. */
export interface EditTarget {
  read: ReadPath;
  /** False, changing nothing, when a scalar or a list addressed by name is in the way. */
  set(path: readonly PathSegment[], value: unknown): boolean;
  /** True when something was there and is now gone. */
  remove(path: readonly PathSegment[]): boolean;
}
