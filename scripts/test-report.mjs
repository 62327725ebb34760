// @ts-check
// The end of .ci/run: the wall time of each vitest project, its slowest files, and one line
// `N passed, N failed` over every report given (a missing or empty report counts as a failure).
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import picomatch from 'picomatch';
import { endToEndFiles } from './test-projects.mjs';

/** @typedef {{ name: string, startTime: number, endTime: number, status: string }} FileResult */
/** @typedef {{ numPassedTests: number, numFailedTests: number, numFailedTestSuites?: number, numRuntimeErrorTestSuites?: number, testResults: FileResult[] }} Report */

const endToEnd = picomatch(endToEndFiles);

let passed = 0;
let failed = 0;
for (const path of process.argv.slice(2)) {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (!text) {
    failed += 1;
    console.log(`no test report in ${path}`);
    continue;
  }
  /** @type {Report} */
  const report = JSON.parse(text);
  passed += report.numPassedTests;
  failed +=
    report.numFailedTests +
    (report.numRuntimeErrorTestSuites ?? 0) +
    (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
  /** @type {Map<string, FileResult[]>} */
  const projects = new Map();
  for (const result of report.testResults) {
    const file = relative(process.cwd(), result.name);
    const project = endToEnd(file) ? 'end-to-end' : 'fast';
    projects.set(project, [...(projects.get(project) ?? []), { ...result, name: file }]);
  }
  for (const [project, files] of projects) {
    const wall = Math.max(...files.map((file) => file.endTime)) - Math.min(...files.map((file) => file.startTime));
    const slowest = [...files].sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime)).slice(0, 3);
    const named = slowest.map((file) => `${file.name} ${Math.round((file.endTime - file.startTime) / 1000)} s`);
    const summed = files.reduce((total, file) => total + file.endTime - file.startTime, 0);
    console.log(
      `vitest project ${project}: ${files.length} files, first start to last end ${Math.round(wall / 1000)} s (the projects run side by side), their own times added up ${Math.round(summed / 1000)} s; slowest: ${named.join(', ')}`,
    );
  }
}
console.log(`${passed} passed, ${failed} failed`);
