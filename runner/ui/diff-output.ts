import type { DiffFiles } from './diff-files.js';
import type { DiffDetail } from './present-diff.js';

/** How a renderer prints diffs, and where it keeps the long ones in full. */
export interface DiffOutput {
  detail: DiffDetail;
  files?: DiffFiles | undefined;
}
