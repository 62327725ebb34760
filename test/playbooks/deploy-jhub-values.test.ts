import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { onSite } from '../helpers/on-site.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';

const deploy = fileURLToPath(new URL('../../playbooks/deploy-jhub.yml', import.meta.url));

/** The releases helm keeps on the site's cluster. */
const releases = (site: string) =>
  onSite(site, async (_kubectl, _openstack, running) =>
    JSON.parse(
      String((await execa(`${running.stateDir}/bin/helm`, ['list', '-n', 'jhub', '-o', 'json'], { env: { ...process.env, ...running.env } })).stdout),
    ),
  );

describe('deploy-jhub.yml checks the values against the chart before it changes anything', () => {
  it('refuses a mistyped key and a renamed one, in --check and for real, naming where each is and what it should be', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 1 } });
    expect((await runApp([deploy, '-i', site])).code).toBe(0);
    const config = parse(readFileSync(`${site}/config.yaml`, 'utf8'));
    const typo = { ...config, singleuser: { storag: { capacity: '20Gi' } }, hub: { ...config.hub, fsGid: 100 } };
    writeFileSync(`${site}/config.yaml`, stringify(typo));
    const lines = readFileSync(`${site}/config.yaml`, 'utf8').split('\n');
    const at = (key: string) => `${site}/config.yaml:${lines.findIndex((line) => line.trim().startsWith(`${key}:`)) + 1}:3`;

    for (const mode of [['--check'], []]) {
      const run = await runApp([deploy, '-i', site, ...mode]);
      expect(run.code, run.stdout + run.stderr).toBe(4);
      const said = run.stdout + run.stderr;
      expect(said).toContain('the values do not fit jupyterhub 4.2.0; nothing was changed');
      expect(said).toContain(`${at('fsGid')}: \`hub.fsGid\` is not a value of jupyterhub 4.2.0: since 2.0.0 it is \`hub.podSecurityContext.fsGroup\``);
      expect(said).toContain(`${at('storag')}: \`singleuser.storag\` is not a value of jupyterhub 4.2.0; did you mean \`singleuser.storage\`?`);
      expect(run.runner.calls.filter((call) => call.argv.includes('upgrade'))).toEqual([]);
    }
    expect((await releases(site))[0]).toMatchObject({ name: 'jhub', revision: '1', status: 'deployed' });
  }, 180_000);
});
