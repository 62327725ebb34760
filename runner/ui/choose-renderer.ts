import { createColors } from './colors.js';
import type { Renderer } from './renderer.js';
import type { DiffOutput } from './diff-output.js';

export interface RendererChoice {
  json: boolean;
  color: boolean;
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  diffOutput?: DiffOutput;
  /** Every line the tools print: plain lines, even in a terminal, so that none is redrawn away. */
  verbose?: boolean;
}

/** JSON when asked; a live task list only in an interactive terminal outside CI, and not with --verbose; plain lines otherwise. */
export async function chooseRenderer(choice: RendererChoice): Promise<Renderer> {
  const write = (text: string) => void choice.stdout.write(text);
  if (choice.json) {
    const { JsonRenderer } = await import('./json-renderer.js');
    return new JsonRenderer(write, choice.diffOutput?.detail);
  }
  const colors = createColors(choice.stdout, choice.color, choice.env);
  // A terminal that reports no width (some CI pseudo-terminals) would get the list one character a line.
  const interactive =
    !choice.verbose &&
    Boolean(choice.stdout.isTTY) &&
    (choice.stdout.columns ?? 0) > 0 &&
    !choice.env['CI'] &&
    choice.env['TERM'] !== 'dumb';
  if (interactive) {
    const { ListrRenderer } = await import('./listr-renderer.js');
    return new ListrRenderer(write, colors, choice.diffOutput);
  }
  const { PlainRenderer } = await import('./plain-renderer.js');
  return new PlainRenderer(write, colors, choice.diffOutput, choice.verbose ?? false);
}
