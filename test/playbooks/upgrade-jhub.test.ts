import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onSite } from '../helpers/on-site.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { nextChart, nextChartArchive } from '../helpers/next-chart.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const [upgrade, rollback, deploy] = ['upgrade-jhub.yml', 'rollback-jhub.yml', 'deploy-jhub.yml'].map(playbook);

/** What a user would see of the site: each claim's volume, the release's revisions, and the hub's pods. */
const seen = (site: string) =>
  onSite(site, async (kubectl, _openstack, running) => {
    const json = async (args: string[]) => JSON.parse((await kubectl([...args, '-o', 'json'])).stdout);
    const claims = (await json(['get', 'pvc', '-n', 'jhub'])).items.map(
      (claim: any) => `${claim.metadata.name} ${claim.status.phase} ${claim.spec.volumeName}`,
    );
    const hub = (await json(['get', 'pods', '-n', 'jhub', '-l', 'component=hub'])).items.map((pod: any) => ({
      image: pod.spec.containers[0].image,
      ready: pod.status.conditions?.find((condition: any) => condition.type === 'Ready')?.status,
    }));
    const { execa } = await import('execa');
    const history = JSON.parse(
      String(
        (
          await execa(`${running.stateDir}/bin/helm`, ['history', 'jhub', '-n', 'jhub', '-o', 'json'], {
            env: { ...process.env, ...running.env },
          })
        ).stdout,
      ),
    ).map((entry: any) => `${entry.revision} ${entry.chart} ${entry.status}`);
    return { claims: claims.sort(), hub, history };
  });

const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));

describe('upgrade-jhub.yml and rollback-jhub.yml', () => {
  it('shows what the next chart changes, refuses old and mistyped values, and a failed upgrade is one command from the revision before', async () => {
    const site = await sandboxSiteCopy({
      seed: { users: 3, servers: 1 },
      charts: [await nextChartArchive()],
      images: [nextChart.hubImage],
    });
    expect((await runApp([deploy!, '-i', site])).code).toBe(0);
    const before = await seen(site);
    const to = ['-e', `chart_version=${nextChart.version}`];

    // The site's config still sets the key the next chart renamed: refused in its own words, at its line.
    const renamed = await runApp([upgrade!, '-i', site, ...to]);
    expect(renamed.code, renamed.stdout).toBe(4);
    expect(renamed.stdout).toContain(
      `jupyterhub 5.0.0 does not render with these values; nothing was changed:\n  ${site}/config.yaml:4:5: DEPRECATION: singleuser.storage.capacity has been renamed to singleuser.storage.size`,
    );
    edit(`${site}/config.yaml`, (text) => text.replace('capacity:', 'sizee:'));
    const typo = await runApp([upgrade!, '-i', site, '--check', ...to]);
    expect(typo.code).toBe(4);
    expect(typo.stdout).toContain(
      `${site}/config.yaml:4:5: \`singleuser.storage.sizee\` is not a value of jupyterhub 5.0.0; did you mean \`singleuser.storage.size\`?`,
    );
    for (const run of [renamed, typo]) expect(run.runner.calls.filter((call) => call.argv.includes('upgrade'))).toEqual([]);
    expect((await seen(site)).history).toEqual(['1 jupyterhub-4.2.0 deployed']);

    // Fixed: the preview lists exactly what the next chart changes, the warnings first, and writes nothing.
    edit(`${site}/config.yaml`, (text) => text.replace('sizee:', 'size:'));
    const check = await runApp([upgrade!, '-i', site, '--check', ...to]);
    expect(check.code, check.stdout).toBe(2);
    const shown = check.stdout.slice(check.stdout.indexOf('(helm.release)'));
    expect(shown).toMatch(
      /would run: .*helm upgrade --install jhub jupyterhub\/jupyterhub .*--version 5\.0\.0.*\n {6}! replaces the pods of Deployment hub \(their pod template changes\)\n {6}! deletes NetworkPolicy singleuser\n/,
    );
    const summary = shown.split('\n').filter((line) => /^ {6}[-+~] [A-Z]|manifest of release/.test(line));
    expect(summary.map((line) => line.trim().replace(/"[0-9a-f]{64}" → "[0-9a-f]{64}"/g, 'digest'))).toEqual([
      'manifest of release jhub: 30 item(s): 1 added, 1 changed, 1 dropped, 28 unchanged',
      `+ ${nextChart.added}`,
      `~ Deployment hub: spec.template.metadata.annotations["checksum/config-map"] changed, spec.template.metadata.annotations["checksum/secret"] changed, spec.template.spec.containers[hub].image "quay.io/jupyterhub/k8s-hub:4.2.0" → "${nextChart.hubImage}"`,
      `- ${nextChart.removed}`,
    ]);
    expect(shown).toContain('objects of jhub: 1 added, 1 changed, 1 removed, 28 unchanged; the labels naming the chart version (4.2.0 → 5.0.0) change on every object');
    expect(check.stdout).toContain('this run: 0 Kubernetes API write request(s)');
    // The hub's tokens never show, plain or as the Secret holds them, on screen or in the kept full diffs.
    const secrets = parse(readFileSync(`${site}/.state/secrets.yaml`, 'utf8'));
    const tokens = [secrets.hub.cookieSecret, secrets.proxy.secretToken];
    const kept = [...check.stdout.matchAll(/full diff: (\S+)\)/g)].map((match) => readFileSync(match[1]!, 'utf8'));
    expect(kept).toHaveLength(1);
    for (const token of [...tokens, ...tokens.map((token) => Buffer.from(token).toString('base64'))])
      for (const text of [check.stdout, ...kept]) expect(text).not.toContain(token);

    const upgraded = await runApp([upgrade!, '-i', site, ...to]);
    expect(upgraded.code, upgraded.stdout).toBe(0);
    const after = await seen(site);
    expect(after.claims).toEqual(before.claims);
    expect(after.hub).toEqual([{ image: nextChart.hubImage, ready: 'True' }]);

    // An image that does not exist: the wait fails, saying why, and the way back is printed.
    edit(`${site}/config.yaml`, (text) => `${text}  image:\n    tag: 5.0.0-typo\n`.replace('hub:\n  db:', 'hub:\n  db:'));
    const failed = await runApp([upgrade!, '-i', site, ...to, '-e', 'helm_timeout=15s']);
    expect(failed.code, failed.stdout).toBe(1);
    expect(failed.stdout).toMatch(/Not ready: Pod hub-\S+ is not ready \(Pending, ImagePullBackOff\)/);
    const back = `run ${rollback} -i ${site} -e release=jhub -e namespace=jhub -e revision=2`;
    expect(failed.stdout).toContain(`To go back to revision 2 of jhub (jupyterhub-5.0.0): ${back}`);
    expect(failed.stdout).toContain(`continue with: run ${upgrade} -i ${site} --resume`);
    expect((await seen(site)).history.at(-1)).toBe('3 jupyterhub-5.0.0 failed');

    const rolled = await runApp(back.split(' ').slice(1));
    expect(rolled.code, rolled.stdout).toBe(0);
    const restored = await seen(site);
    expect(restored.claims).toEqual(before.claims);
    expect(restored.hub).toEqual([{ image: nextChart.hubImage, ready: 'True' }]);
    expect(restored.history.at(-1)).toBe('4 jupyterhub-5.0.0 deployed');
    const again = await runApp(back.split(' ').slice(1));
    expect(again.stdout).toMatch(/Roll the release back\s+ok/);

    // With the tag fixed, --resume finishes the upgrade the failed run began.
    edit(`${site}/config.yaml`, (text) => text.replace('tag: 5.0.0-typo', 'tag: 5.0.0'));
    const resumed = await runApp([upgrade!, '-i', site, '--resume']);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(resumed.stdout).toMatch(/Record each user claim and the volume it is bound to\s+ok/);
    const finished = await seen(site);
    expect(finished.claims).toEqual(before.claims);
    expect(finished.history.at(-1)).toBe('5 jupyterhub-5.0.0 deployed');
  }, 300_000);
});
