import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';

const playbooks = fileURLToPath(new URL('../../playbooks', import.meta.url));
const inventories = fileURLToPath(new URL('../../inventory', import.meta.url));

/** What `tail -1` of a `--json` run gives a script. */
function lastLine(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter(Boolean);
  return JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
}

describe('--json ends with the recap', () => {
  it('for every playbook in every mode on the simulated site, whose summary comes before it', async () => {
    const site = await sandboxSiteCopy({});
    const runs: [string, string[]][] = [
      ['deploy-jhub.yml', []],
      ['enable-https.yml', []],
      ['scale-cluster.yml', ['-e', 'terraform_vars.worker_count=3']],
      ['reinstall-jhub.yml', []],
      ['rebuild-cluster.yml', ['-e', 'terraform_vars.worker_count=3']],
    ];
    for (const [name, extra] of runs) {
      for (const mode of ['--dry-run', '--check', '--yes']) {
        const run = await runApp([`${playbooks}/${name}`, '-i', site, '--json', mode, ...extra]);
        expect(lastLine(run.stdout), `${name} ${mode} (exit ${run.code})`).toMatchObject({ type: 'recap', failed: 0 });
        // A dry run starts no simulated site, so it has no summary of one.
        if (mode !== '--dry-run') expect(run.stdout, `${name} ${mode}`).toContain('"type":"site:summary"');
      }
    }
    const backup = readdirSync(`${site}/.state/backups`).find((name) => name.startsWith('rebuild-'));
    for (const mode of ['--dry-run', '--check', '--yes']) {
      const run = await runApp([`${playbooks}/prepare-pv-restore.yml`, '-i', site, '--json', mode, '-e', `backup_dir=${site}/.state/backups/${backup}`]);
      expect(lastLine(run.stdout), `prepare-pv-restore.yml ${mode}`).toMatchObject({ type: 'recap', failed: 0 });
    }
  }, 240_000);

  it('when a step fails, and when a run is refused before it starts: then the recap is its only line', async () => {
    const site = await sandboxSiteCopy({});
    const refused = await runApp([`${playbooks}/rebuild-cluster.yml`, '-i', site, '--json']);
    expect(refused.code).toBe(4);
    expect(refused.stdout.trim().split('\n')).toHaveLength(1);
    expect(lastLine(refused.stdout)).toMatchObject({ type: 'recap', exitCode: 4, refused: true, steps: [] });
    expect(lastLine(refused.stdout)['message']).toMatch(/^refused: this run may destroy/);
    const failed = await runApp([`${playbooks}/deploy-jhub.yml`, '-i', site, '--json', '-e', 'chart_version=0.0.1']);
    expect(failed.code, failed.stderr).toBe(1);
    expect(lastLine(failed.stdout)).toMatchObject({ type: 'recap', failed: 1 });
  }, 120_000);

  it('on a real site\'s inventory, previewed', async () => {
    // The example site holds only a backup to prepare; the Jetstream example is a whole site.
    for (const [inventory, names] of [['example', ['prepare-pv-restore.yml']], ['example-jetstream', readdirSync(playbooks).filter((file) => file.endsWith('.yml') && file !== 'prepare-pv-restore.yml')]] as const) {
      for (const name of names) {
        const run = await runApp([`${playbooks}/${name}`, '-i', `${inventories}/${inventory}`, '--json', '--dry-run']);
        expect(run.code, `${inventory} ${name}: ${run.stderr}`).toBe(0);
        expect(lastLine(run.stdout), `${inventory} ${name}`).toMatchObject({ type: 'recap' });
      }
    }
  });
});
