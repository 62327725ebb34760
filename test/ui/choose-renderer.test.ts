import { describe, expect, it } from 'vitest';
import { chooseRenderer } from '../../runner/ui/choose-renderer.js';

const terminal = (columns: number | undefined) =>
  ({ isTTY: true, columns, write: () => true }) as unknown as NodeJS.WriteStream;
const pipe = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
const chosen = async (stdout: NodeJS.WriteStream, env: NodeJS.ProcessEnv = {}, json = false) =>
  (await chooseRenderer({ json, color: false, stdout, env })).constructor.name;

describe('chooseRenderer', () => {
  it('draws a live task list only in a terminal with a width, outside CI', async () => {
    expect(await chosen(terminal(120))).toBe('ListrRenderer');
    expect(await chosen(terminal(0))).toBe('PlainRenderer');
    expect(await chosen(terminal(undefined))).toBe('PlainRenderer');
    expect(await chosen(terminal(120), { CI: 'true' })).toBe('PlainRenderer');
    expect(await chosen(terminal(120), { TERM: 'dumb' })).toBe('PlainRenderer');
    expect(await chosen(pipe)).toBe('PlainRenderer');
    expect(await chosen(terminal(120), {}, true)).toBe('JsonRenderer');
  });

  it('prints plain lines with --verbose, even in a terminal, so that no line of a tool is redrawn away', async () => {
    const renderer = await chooseRenderer({ json: false, color: false, stdout: terminal(120), env: {}, verbose: true });
    expect(renderer.constructor.name).toBe('PlainRenderer');
  });
});
