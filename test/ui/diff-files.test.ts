import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDiffFiles } from '../../runner/ui/diff-files.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('tempDiffFiles', () => {
  it('keeps each diff in its own file in one private folder, never overwriting', async () => {
    const files = tempDiffFiles(await tempDir());
    const first = files.save('step-1-a/b c', 'one')!;
    const second = files.save('step-1-a/b c', 'two')!;
    expect(first).not.toBe(second);
    expect(first.endsWith('/step-1-a-b-c.diff')).toBe(true);
    expect(readFileSync(second, 'utf8')).toBe('two\n');
    expect(statSync(first.replace(/\/[^/]+$/, '')).mode & 0o777).toBe(0o700);
  });
});
