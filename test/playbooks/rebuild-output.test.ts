import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));

/** The plain output cut at each `[n/N]` step header: what a person scrolls through per step. */
function stepSections(stdout: string): { header: string; lines: string[] }[] {
  const sections: { header: string; lines: string[] }[] = [];
  for (const line of stdout.split('\n')) {
    if (/^\[\d+\/\d+\] /.test(line)) sections.push({ header: line, lines: [] });
    else if (/^Recap/.test(line)) break;
    else sections.at(-1)?.lines.push(line);
  }
  return sections;
}

/** A terminal's screen. */
const screenful = 50;

describe('a 100-user rebuild, as a person reads it', () => {
  it('prints at most a screenful per step, names where each long diff is kept, and never the server\'s bookkeeping', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 100, servers: 2, namespace: 'jhub', deleted_users: 1, other_namespaces: { grading: 1 } } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    // The second rebuild is the one whose objects carry last-applied annotations from the first.
    for (const round of [1, 2]) {
      const run = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes']);
      expect(run.code, `rebuild ${round}: ${run.stdout}${run.stderr}`).toBe(0);
      const sections = stepSections(run.stdout);
      expect(sections).toHaveLength(31);
      for (const section of sections) expect(section.lines.length, `${section.header}\n${section.lines.join('\n')}`).toBeLessThanOrEqual(screenful);
      expect(run.stdout).not.toMatch(/last-applied-configuration|managedFields/);
      // The 100 volumes set to Retain (the first time): cut short, with the whole diff kept in a file.
      if (round === 1) expect(run.stdout).toMatch(/more diff lines \(\+\d+ −\d+ lines in all; full diff: \S+step-4-\S+\.diff\)/);
    }
  }, 300_000);
});
