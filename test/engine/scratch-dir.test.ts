import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScratchDir } from '../../runner/engine/scratch-dir.js';

describe('ScratchDir', () => {
  it('keeps its files in one folder only its owner may enter, and removes it with what is in it', () => {
    const scratch = new ScratchDir();
    const plan = scratch.path('destroy.tfplan');
    expect(dirname(scratch.path('recreate.tfplan'))).toBe(dirname(plan));
    expect(statSync(dirname(plan)).mode & 0o777).toBe(0o700);
    writeFileSync(plan, 'a saved plan holding variable values');
    scratch.dispose();
    expect(existsSync(dirname(plan))).toBe(false);
  });

  it('gives each run a folder of its own', () => {
    const first = new ScratchDir();
    const second = new ScratchDir();
    expect(dirname(first.path('plan'))).not.toBe(dirname(second.path('plan')));
    first.dispose();
    second.dispose();
  });
});
