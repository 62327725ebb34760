import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';

const madeByTests: string[] = [];
const madeBySuites: string[] = [];

const removeAll = (dirs: string[]) =>
  Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));

// Whether a test body runs now: a `beforeAll` between two tests still sees the last test's name in expect's state.
let inTest = false;
beforeEach(() => {
  inTest = true;
});
afterEach(() => {
  inTest = false;
  return removeAll(madeByTests);
});
afterAll(() => removeAll(madeBySuites));

/**
 * An empty scratch directory, made at once, removed after the file's tests: never while a concurrent
 * test (`it.concurrent`) may still use it, as a test's own would be when the first of them ends.
 */
export function tempDirSync(prefix = 'runner-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeBySuites.push(dir);
  return dir;
}

/** A scratch directory, filled with the given files: removed after the test that made it, or after the file's tests when a `beforeAll` made it. */
export async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runner-test-'));
  (inTest ? madeByTests : madeBySuites).push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}
