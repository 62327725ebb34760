import type { SourceLocation } from '../input/source-location.js';
import type { PathSegment } from '../input/yaml-source.js';

/** One step as written, with a way back to where each of its values was written. */
export interface PluginStep {
  index: number;
  name: string;
  plugin: string;
  args: unknown;
  when?: string | boolean;
  register?: string;
  tags?: string[];
  retries?: number;
  delay?: number;
  until?: string;
  changed_when?: string | boolean;
  failed_when?: string | boolean;
  location: SourceLocation;
  locate: (path: readonly PathSegment[], target?: 'value' | 'key') => SourceLocation;
}
