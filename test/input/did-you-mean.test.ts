import { describe, expect, it } from 'vitest';
import { didYouMean, didYouMeanPhrase } from '../../runner/input/did-you-mean.js';

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

describe('didYouMeanPhrase', () => {
  const steps = [
    'Wait until the hub is ready',
    'Wait until the proxy is ready',
    "Generate the hub's secret tokens once",
  ];

  it('finds a step remembered by its words', () => {
    expect(didYouMeanPhrase('Wait for hub', steps)).toBe('Wait until the hub is ready');
    expect(didYouMeanPhrase('proxy ready', steps)).toBe('Wait until the proxy is ready');
    expect(didYouMeanPhrase('Wait until the hub is redy', steps)).toBe('Wait until the hub is ready');
  });

  it('matches a one-word phrase by that word, and stays silent when the words are not there', () => {
    expect(didYouMeanPhrase('Wait', steps.slice(0, 2).concat('Deploy'))).toBe('Wait until the hub is ready');
    expect(didYouMeanPhrase('restore the volumes', steps)).toBeUndefined();
  });
});
