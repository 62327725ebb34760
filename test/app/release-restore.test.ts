import { describe, expect, it } from 'vitest';
import { PendingRestores } from '../../runner/app/pending-restores.js';
import { lockSite } from '../../runner/app/site-lock.js';
import { runApp } from '../helpers/run-app.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A rebuild's restore of jhub, left pending. */
const pendingRebuild = {
  namespace: 'jhub',
  runId: 'r1',
  playbook: 'playbooks/rebuild-cluster.yml',
  backupDir: '/b',
  since: '2026-12-01T00:00:00.000Z',
};

describe('run release-restore', () => {
  it('releases a pending restore only with --yes (or a typed yes), and says when none is pending', async () => {
    const site = await tempDir({ 'site.yml': 'site_name: test\n' });
    const restores = new PendingRestores(`${site}/.state`);
    const none = await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`]);
    expect(none).toMatchObject({ code: 0, stdout: `no restore of jhub is pending on this site (${site}/.state)\n` });
    restores.open(pendingRebuild);
    const unconfirmed = await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`]);
    expect(unconfirmed.code).toBe(4);
    expect(unconfirmed.stderr).toContain(
      'refused to release the pending restore of jhub (run r1 of playbooks/rebuild-cluster.yml, since 2026-12-01T00:00:00.000Z, backup /b) without confirmation',
    );
    expect(restores.get('jhub')).toBeDefined();
    const released = await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`, '--yes']);
    expect(released.code).toBe(0);
    expect(released.stdout).toBe(
      'released the pending restore of jhub (run r1 of playbooks/rebuild-cluster.yml, since 2026-12-01T00:00:00.000Z, backup /b)\n',
    );
    expect(restores.get('jhub')).toBeUndefined();
    expect((await runApp(['release-restore', 'Not_A_Namespace', '-i', `${site}/site.yml`])).code).toBe(3);
  });

  it('refuses while another run holds the site, naming it, and releases nothing', async () => {
    const site = await tempDir({ 'site.yml': 'site_name: test\n' });
    const restores = new PendingRestores(`${site}/.state`);
    restores.open(pendingRebuild);
    const holder = await lockSite(`${site}/.state`, 'playbooks/rebuild-cluster.yml');
    try {
      const refused = await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`, '--yes']);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(
        /^refused: another run holds this site: pid \d+ on .*, playbooks\/rebuild-cluster\.yml/,
      );
      expect(restores.get('jhub')).toBeDefined();
    } finally {
      holder();
    }
    expect((await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`, '--yes'])).code).toBe(0);
  });
});
