import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { SandboxSite } from '../sandbox/site/sandbox-site.js';
import { onSite } from './helpers/on-site.js';
import { sandboxSiteCopy } from './helpers/sandbox-site-copy.js';
import { tempDir } from './helpers/temp-dir.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The text of a `## ` section of the README, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Each command line of the section's ```sh blocks, without its comment; commands for your own site (with `<placeholders>`) are left to you. */
function commands(text: string, blocks = Infinity): { line: string; says: string }[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .slice(0, blocks)
    .flatMap((match) => match[1]!.split('\n'))
    .map((line) => ({ line: line.replace(/\s+#.*$/, '').trim(), says: /\s#\s*(.*)$/.exec(line)?.[1] ?? '' }))
    .filter(({ line }) => line !== '' && !line.includes('<'));
}

/** The walkthrough as a new operator follows it: the set-up block, then every block of the walkthrough, in order. */
const walkthrough = [
  ...commands(section(readme, 'Set up and run'), 1),
  ...commands(section(readme, 'Walkthrough: the seed post, step for step')),
];

/** A fresh clone: the repository's files (tracked, and new ones not ignored), without any build, state or node_modules. */
async function freshClone(): Promise<string> {
  const dir = join(await tempDir(), 'jhub-runner');
  const listed = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  return dir;
}

/** Runs one README command as a person at a terminal would (util-linux script gives it one), typing yes when asked. */
async function atTerminal(line: string, cwd: string): Promise<{ exitCode: number; screen: string }> {
  const { CI: _ci, ...env } = process.env;
  // script runs its command through the shell; README commands are plain words, checked below.
  const child = execa('script', ['-qfec', `stty cols 150 rows 50 && exec ${line}`, '/dev/null'], {
    reject: false,
    cwd,
    env: { ...env, TERM: 'xterm-256color', NO_COLOR: '1' },
    extendEnv: false,
  });
  let screen = '';
  let answered = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    screen += String(chunk);
    if (!answered && screen.includes('Type "yes" to go on:')) {
      answered = true;
      child.stdin!.write('yes\r');
    }
  });
  const result = await child;
  return { exitCode: result.exitCode ?? -1, screen };
}

describe('the README walkthrough, from a fresh clone', () => {
  it('lists the commands it follows: set-up, then every procedure of the post', () => {
    expect(walkthrough[0]!.line).toBe('npm ci');
    for (const playbook of [
      'deploy-jhub',
      'enable-https',
      'scale-cluster',
      'reinstall-jhub',
      'rebuild-cluster',
      'remove-orphaned-volumes',
    ]) {
      expect(
        walkthrough.some(({ line }) => line.includes(`playbooks/${playbook}.yml`)),
        playbook,
      ).toBe(true);
    }
    for (const { line } of walkthrough)
      expect(line, 'a README command a person types as plain words').toMatch(/^[\w./=,: -]+$/);
  });

  it('works command by command, exactly as written', async () => {
    const clone = await freshClone();
    const screens = new Map<string, string>();
    for (const { line, says } of walkthrough) {
      if (line === 'npm ci') {
        // The cache the test run's own install filled: the README's `npm ci`, without fetching again.
        const installed = await execa('npm', ['ci'], {
          cwd: clone,
          reject: false,
          env: { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
        });
        expect(installed.exitCode, `npm ci:\n${installed.stdout}\n${installed.stderr}`).toBe(0);
        continue;
      }
      const run = await atTerminal(line, clone);
      // --check exits 2 when something would change; every other command must succeed.
      const ok = line.includes('--check') ? [0, 2] : [0];
      expect(ok, `${line}\n${run.screen}`).toContain(run.exitCode);
      // What its comment promises, where it is a count.
      if (says.includes('0 changed')) expect(run.screen, `${line}: ${says}`).toMatch(/changed=0 /);
      expect(run.screen, `${line}: no stack trace`).not.toMatch(/\n\s+at .*\.[cm]?js:\d+:\d+/);
      screens.set(line, run.screen);
    }
    // What the walkthrough says a rebuild ends with on the sandbox: each claim bound again, the floating IP unchanged.
    const rebuilt = screens.get(
      walkthrough.filter(({ line }) => line.includes('rebuild-cluster.yml') && !line.includes('--dry-run')).at(-1)!
        .line,
    )!;
    expect(rebuilt).toMatch(/user claims: all \d+ on the Cinder volumes they had when the run started/);
    expect(rebuilt).toMatch(/floating IP [\d.]+ \(unchanged\)/);
    expect(rebuilt).toContain('left without a PV: Cinder volume');
  }, 900_000);
});

/** The operator's own copy of the Jetstream example, filled in for the running simulated site's addresses as for a real one. */
function fillExample(dir: string, running: SandboxSite): string {
  const site = join(dir, 'inventory', 'my-site');
  cpSync(join(root, 'inventory', 'example-jetstream'), site, { recursive: true });
  const document = parseDocument(readFileSync(join(site, 'site.yml'), 'utf8'));
  document.set('site_name', 'my-site');
  document.set('kubeconfig', running.env['KUBECONFIG']);
  document.set('chart_repo_url', running.chartRepoUrl);
  document.set('terraform_dir', running.terraformDir);
  document.set('terraform_vars', { worker_count: 2 });
  document.set('cluster_install_dir', running.terraformDir);
  document.set('cluster_install_argv', ['sim-kubespray', '-i', 'inventory/hosts.yaml', 'cluster.yml']);
  document.set('cluster_scale_argv', ['sim-kubespray', '-i', 'inventory/hosts.yaml', 'scale.yml']);
  document.set('openstack_cloud', 'sandbox');
  writeFileSync(join(site, 'site.yml'), document.toString());
  return site;
}

/** A helm that stops at its first upgrade until the test writes `release`, logging every argv: an interrupt at a known point. */
function heldHelm(dir: string): string {
  const path = join(dir, 'helm-held');
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      `echo "$*" >> '${dir}/helm.log'`,
      `case " $* " in *' upgrade '*) [ -e '${dir}/release' ] || touch '${dir}/reached' ;; esac`,
      `if [ -e '${dir}/reached' ] && [ ! -e '${dir}/release' ]; then`,
      `  while [ ! -e '${dir}/release' ]; do sleep 0.05; done`,
      'fi',
      'exec helm "$@"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return path;
}

describe('a real site, set up as "Before your first real site" says', () => {
  it('copy the example, fill it in, doctor, check, deploy, rerun, then interrupt a run given -e and resume it', async () => {
    const dir = await tempDir();
    const sandbox = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } });
    await onSite(sandbox, async (kubectl, _openstack, running) => {
      const site = fillExample(dir, running);
      const env = { ...process.env, ...running.env, NO_COLOR: '1', CI: '1' };
      const run = (...args: string[]) => execa('node', ['bin/run.js', ...args], { cwd: root, env, reject: false });
      const deploy = ['playbooks/deploy-jhub.yml', '-i', site];

      const doctor = await run('doctor', '-i', site);
      expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(0);
      expect(doctor.stdout).toMatch(
        /^Checking site my-site \(real: cluster of \S+kubeconfig; cloud sandbox; terraform in /,
      );

      const checked = await run(...deploy, '--check');
      expect(checked.exitCode, checked.stdout + checked.stderr).toBe(2);
      expect(checked.stdout).toMatch(/would-change/);
      expect((await kubectl(['get', 'deployment', 'hub', '-n', 'jhub'])).exitCode, '--check deployed nothing').not.toBe(
        0,
      );

      const deployed = await run(...deploy);
      expect(deployed.exitCode, deployed.stdout + deployed.stderr).toBe(0);
      expect(existsSync(join(site, 'secrets.yaml'))).toBe(true);
      const again = await run(...deploy);
      expect(again.exitCode, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toMatch(/changed=0 /);

      // The operator changes a value, and deploys it with a longer helm timeout given on the command line.
      const config = join(site, 'config.yaml');
      writeFileSync(config, readFileSync(config, 'utf8').replace('capacity: 1Gi', 'capacity: 2Gi'));
      const helm = heldHelm(dir);
      const interrupted = run(...deploy, '-e', `helm_binary=${helm}`, '-e', 'helm_timeout=7m');
      let ended = false;
      void interrupted.finally(() => (ended = true));
      while (!existsSync(join(dir, 'reached')) && !ended) await new Promise((resolve) => setTimeout(resolve, 20));
      if (ended) expect.fail(`the run never reached helm upgrade: ${(await interrupted).stdout}`);
      interrupted.kill('SIGINT');
      const timer = setTimeout(() => interrupted.kill('SIGKILL'), 20_000);
      const stopped = await interrupted;
      clearTimeout(timer);
      expect(stopped.exitCode, stopped.stdout + stopped.stderr).toBe(130);
      const hint = /Interrupted; continue with: (.*)/.exec(stopped.stdout)?.[1];
      expect(hint, stopped.stdout).toBe(`node bin/run.js playbooks/deploy-jhub.yml -i ${site} --resume`);

      writeFileSync(join(dir, 'release'), '');
      const [, , ...hinted] = hint!.split(' ');
      const resumed = await run(...hinted);
      expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
      const upgrades = readFileSync(join(dir, 'helm.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes(' upgrade '));
      expect(upgrades, 'the resumed run upgraded with the -e it was started with').toHaveLength(2);
      expect(upgrades[1]).toMatch(/--timeout 7m/);
      const settled = await run(...deploy);
      expect(settled.stdout).toMatch(/changed=0 /);
    });
  }, 300_000);
});
