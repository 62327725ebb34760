import type { RunEvent } from '../events/run-event.js';

/** Renderers only listen; `finish` lets an asynchronous one (listr2) drain before the process exits. */
export interface Renderer {
  listen(event: RunEvent): void;
  finish(): Promise<void>;
  /** A renderer that owns the terminal asks the question itself; undefined when it cannot. */
  ask?(question: string): Promise<string | undefined>;
}
