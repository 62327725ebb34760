import { defineConfig } from 'vitest/config';
import { endToEndFiles } from './scripts/test-projects.mjs';

// End-to-end files drive whole playbooks, a real terraform, a real terminal or the README; `npm test`
// runs both projects, `npm run test:fast` the rest alone, for the edit-and-run loop.
const endToEnd = endToEndFiles;
// Each project sets these itself: inheriting the root config would run the build once per project.
const shared = { testTimeout: 30_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/build-once.ts'],
    // Most tests wait on the tools they spawn: three workers keep both cores busy (vitest's default on 2 cores is one).
    maxWorkers: 3,
    minWorkers: 1,
    projects: [
      { test: { ...shared, name: 'fast', include: ['test/**/*.test.ts'], exclude: endToEnd } },
      // A whole playbook with the real tools runs for tens of seconds alone and several times that on a busy
      // machine: here the timeout only catches a hang, so it is no timing window a loaded CI run can miss.
      { test: { ...shared, testTimeout: 180_000, name: 'end-to-end', include: endToEnd } },
    ],
  },
});
