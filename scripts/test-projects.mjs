// @ts-check
// Which test files are the end-to-end project: read by vitest.config.ts to define the projects, and
// by .ci/run's report to time each, so the two never disagree.

/** Whole playbooks on the simulated site, a real terraform, a real terminal, the README, the real control plane; the rest is `fast`. */
export const endToEndFiles = [
  'test/playbooks/**/*.test.ts',
  'test/readme.test.ts',
  'test/cli/interrupts.test.ts',
  'test/sandbox/control-plane/**/*.test.ts',
  'test/sandbox/site/real-sandbox-site.test.ts',
];
