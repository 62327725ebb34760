import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processStartTime } from '../../runner/exec/process-identity.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';

/**
 * A tool a killed run left running that, like helm in its wait, can only end by reaching the site's
 * API: it retries for 20 s, then writes what happened.
 */
function apiBoundTool(site: string): number {
  const script = `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const kubeconfig = ${JSON.stringify(`${site}/.state/kubeconfig`)};
const until = Date.now() + 20000;
while (Date.now() < until) {
  const server = existsSync(kubeconfig) ? /server: (\\S+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1] : undefined;
  if (server && (await fetch(server + '/version').then((response) => response.ok, () => false))) {
    writeFileSync(${JSON.stringify(`${site}/tool-result`)}, 'reached the site');
    process.exit(0);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
writeFileSync(${JSON.stringify(`${site}/tool-result`)}, 'gave up');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

describe('a tool a killed run left running', () => {
  it('is waited for once the simulated site is up, so a tool that talks to the site (helm in its wait) can end', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 1 } });
    writeFileSync(`${site}/p.yml`, 'name: after a kill\nsteps:\n  - name: go on\n    command: {argv: ["true"]}\n');
    mkdirSync(`${site}/.state`, { recursive: true });
    const pid = apiBoundTool(site);
    writeFileSync(
      `${site}/.state/tools.json`,
      JSON.stringify([{ pid, argv0: 'helm', startTime: processStartTime(pid) }]),
    );
    const run = await runApp([`${site}/p.yml`, '-i', site]);
    expect(run.code, run.stderr).toBe(0);
    // Whether the run still saw the tool running depends on how fast the tool reached the site; that it could reach it is the point.
    expect(readFileSync(`${site}/tool-result`, 'utf8')).toBe('reached the site');
    expect(existsSync(`${site}/.state/tools.json`)).toBe(false);
  }, 60_000);
});
