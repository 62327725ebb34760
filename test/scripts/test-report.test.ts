import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const script = fileURLToPath(new URL('../../scripts/test-report.mjs', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

const file = (name: string, startTime: number, endTime: number) => ({
  name: `${root}${name}`,
  startTime,
  endTime,
  status: 'passed',
});
const report = (passed: number, failed: number, extra: object = {}) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  testResults: [
    file('test/playbooks/rebuild-faults.test.ts', 1000, 61_000),
    file('test/app/site-lock.test.ts', 2000, 7000),
  ],
  ...extra,
});

/** Runs the end of .ci/run over these reports (a name without a report stands for a run that wrote none). */
async function summary(...reports: (object | undefined)[]): Promise<string[]> {
  const dir = await tempDir();
  const paths = reports.map((content, index) => {
    const path = `${dir}/report-${index}.json`;
    if (content) writeFileSync(path, JSON.stringify(content));
    return path;
  });
  return execFileSync(process.execPath, [script, ...paths], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n');
}

describe('the end of .ci/run', () => {
  it('adds up every report into one closing line, and times each project', async () => {
    const lines = await summary(report(10, 0), report(2, 1));
    expect(lines.at(-1)).toBe('12 passed, 1 failed');
    expect(lines[0]).toMatch(
      /^vitest project end-to-end: 1 files, first start to last end 60 s .* slowest: test\/playbooks\/rebuild-faults\.test\.ts 60 s$/,
    );
    expect(lines[1]).toMatch(/^vitest project fast: 1 files, first start to last end 5 s/);
  });

  it('counts a run that wrote no report, or a file that failed to load, as a failure', async () => {
    expect((await summary(report(10, 0), undefined)).at(-1)).toBe('10 passed, 1 failed');
    expect((await summary(report(10, 0, { numFailedTestSuites: 1 }))).at(-1)).toBe('10 passed, 1 failed');
    expect((await summary(report(10, 0, { numRuntimeErrorTestSuites: 2 }))).at(-1)).toBe('10 passed, 2 failed');
  });
});
