import type { SourceLocation } from '../input/source-location.js';
import type { PathSegment } from '../input/yaml-source.js';

/** One level of variable precedence, able to say where each of its values was written. */
export interface VarLayer {
  label: string;
  values: Record<string, unknown>;
  locate: (path: readonly PathSegment[]) => SourceLocation | undefined;
  /** Keys given as dotted paths (`-e https.mode=custom`) set one nested value instead of replacing the top-level one. */
  nested?: boolean;
  /** Values that are data, never templates (the built-ins: a folder named `p{{ x }}` is just that). */
  literal?: boolean;
}
