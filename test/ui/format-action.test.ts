import { describe, expect, it } from 'vitest';
import { formatAction, quoteArgument } from '../../runner/ui/format-action.js';

describe('formatAction', () => {
  it('quotes only what a person would misread', () => {
    expect(quoteArgument('--namespace=jhub')).toBe('--namespace=jhub');
    expect(quoteArgument('a b')).toBe("'a b'");
    expect(quoteArgument("it's")).toBe("'it'\\''s'");
    expect(quoteArgument('')).toBe("''");
  });

  it('shows stdin and file contents as sizes only', () => {
    expect(formatAction({ kind: 'exec', argv: ['kubectl', 'apply', '-f', '-'], stdinBytes: 120 })).toBe(
      'kubectl apply -f -  (stdin: 120 bytes)',
    );
    expect(formatAction({ kind: 'write', path: 'secrets.yaml', bytes: 80, mode: '0600' })).toBe(
      'write secrets.yaml (80 bytes, mode 0600)',
    );
  });
});
