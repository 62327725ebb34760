import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatRecap } from '../../runner/ui/format-recap.js';

const colors = new Chalk({ level: 0 });

/** The last line of the recap of a run that stopped after one of its two steps, with the command that resumes it. */
const resumeLine = (how: { interrupted: boolean; refused?: boolean }, resume: string) =>
  formatRecap(
    { type: 'recap', ok: 1, changed: 0, skipped: 0, failed: 1, unknown: 0, durationMs: 5, steps: [], resume, ...how },
    'apply',
    colors,
  )
    .split('\n')
    .at(-1);

describe('formatRecap', () => {
  it('handles any number of steps (a spread of 200,000 names would overflow the call stack)', () => {
    const steps = Array.from({ length: 200_000 }, (_, index) => ({
      name: `step ${index}`,
      status: 'ok' as const,
      durationMs: 1,
    }));
    const text = formatRecap(
      {
        type: 'recap',
        ok: steps.length,
        changed: 0,
        skipped: 0,
        failed: 0,
        unknown: 0,
        interrupted: false,
        durationMs: 5,
        steps,
      },
      'apply',
      colors,
    );
    expect(text.split('\n')).toHaveLength(200_001);
    expect(text.endsWith('  step 199999  ok      1ms')).toBe(true);
  });

  it('ends an unfinished run with the exact command that continues it', () => {
    expect(resumeLine({ interrupted: true }, 'npx run playbooks/rebuild-cluster.yml -i inventory/site --resume')).toBe(
      'Interrupted; continue with: npx run playbooks/rebuild-cluster.yml -i inventory/site --resume',
    );
  });

  it('says, after a failure or a refusal, that resuming waits on dealing with it first', () => {
    expect(resumeLine({ interrupted: false }, 'run p.yml --resume')).toBe(
      'Failed; once the failure is fixed, continue with: run p.yml --resume',
    );
    expect(resumeLine({ interrupted: false, refused: true }, 'run p.yml --resume')).toBe(
      'Refused; once what it names is dealt with, continue with: run p.yml --resume',
    );
  });
});
