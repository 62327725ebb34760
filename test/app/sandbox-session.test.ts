import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';

const playbooks = fileURLToPath(new URL('../../playbooks', import.meta.url));

describe('the simulated site on its first run', () => {
  it('says it is setting up before the seconds of seeding, and what it seeded before the steps; later runs say nothing of it', async () => {
    const site = await sandboxSiteCopy({});
    const first = await runApp([`${playbooks}/deploy-jhub.yml`, '-i', site, '--check', '--json']);
    expect([0, 2]).toContain(first.code);
    const lines = first.stderr.split('\n');
    expect(lines[0]).toBe(
      `setting up the simulated site in ${site}/.state (first run: a cloud, Kubernetes and its seeded users; a few seconds)`,
    );
    expect(lines.filter((line) => line.startsWith('sandbox seeded: ')).length).toBeGreaterThan(1);
    // Standard output stays the JSON events, the recap last.
    expect(first.stdout).not.toContain('sandbox seeded');
    const again = await runApp([`${playbooks}/deploy-jhub.yml`, '-i', site, '--check', '--json']);
    expect(again.stderr).toBe('');
  }, 60_000);
});
