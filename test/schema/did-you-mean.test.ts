import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../runner/schema/did-you-mean.js';

describe('didYouMean', () => {
  it('suggests a close candidate, ignoring case', () => {
    expect(didYouMean('comand', ['command', 'manifest.edit'])).toBe('command');
    expect(didYouMean('Manifest.Edti', ['command', 'manifest.edit'])).toBe('manifest.edit');
  });

  it('stays silent when nothing is close', () => {
    expect(didYouMean('zzz', ['command', 'manifest.edit'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
