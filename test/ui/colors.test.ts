import { describe, expect, it } from 'vitest';
import { createColors } from '../../runner/ui/colors.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('createColors', () => {
  it('colours a terminal and nothing else', () => {
    expect(createColors(tty, true, {}).level).toBeGreaterThan(0);
    expect(createColors(pipe, true, {}).level).toBe(0);
  });

  it('honours NO_COLOR and --no-color even on a terminal', () => {
    expect(createColors(tty, true, { NO_COLOR: '1' }).level).toBe(0);
    expect(createColors(tty, false, {}).level).toBe(0);
    expect(createColors(pipe, true, { NO_COLOR: '1', FORCE_COLOR: '1' }).level).toBe(0);
  });
});
