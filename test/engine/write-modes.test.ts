import { describe, expect, it } from 'vitest';
import { withWriteModes } from '../../runner/engine/write-modes.js';
import type { StepPlan } from '../../runner/plugin-contract/contract.js';

const plan = (actions: StepPlan['actions']): StepPlan => ({ change: 'update', reason: 'write', actions });
const holdsSecret = (text: string) => text.includes('s3cret');

describe('withWriteModes', () => {
  it('writes a file holding a secret 0600 when the step sets no mode, even over the mode of the file it came from', () => {
    const settled = withWriteModes(
      plan([{ kind: 'write', path: '/x', content: 'token: s3cret', baseMode: 0o644 }]),
      holdsSecret,
    );
    expect(settled.actions[0]).toEqual({ kind: 'write', path: '/x', content: 'token: s3cret', mode: 0o600 });
  });

  it('keeps the mode the step asked for, and the base mode of a file without a secret', () => {
    const settled = withWriteModes(
      plan([
        { kind: 'write', path: '/a', content: 'token: s3cret', mode: 0o640 },
        { kind: 'write', path: '/b', content: 'plain', baseMode: 0o600 },
        { kind: 'write', path: '/c', content: 'plain' },
        { kind: 'exec', argv: ['true'] },
      ]),
      holdsSecret,
    );
    expect(settled.actions).toEqual([
      { kind: 'write', path: '/a', content: 'token: s3cret', mode: 0o640 },
      { kind: 'write', path: '/b', content: 'plain', mode: 0o600 },
      { kind: 'write', path: '/c', content: 'plain' },
      { kind: 'exec', argv: ['true'] },
    ]);
  });
});
