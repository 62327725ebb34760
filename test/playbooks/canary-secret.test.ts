import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    // The sandbox's bin/ holds links to the kubectl and helm binaries, not files the runner writes.
    if (stat.isSymbolicLink() || (name === 'bin' && stat.isDirectory())) return [];
    return stat.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('a canary secret through every playbook', () => {
  it('never appears in any output stream, run journal or file the runner writes, in any mode', async () => {
    const cookie = `canary${randomBytes(16).toString('hex')}`;
    const token = `canary${randomBytes(16).toString('hex')}`;
    const keyLine = readFileSync(tls('test1.key'), 'utf8').split('\n')[1]!;
    const site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub' } }, {
      https: { mode: 'custom', domain: 'js-169-xx.jetstream-cloud.org', cert_file: tls('test1.crt'), key_file: tls('test1.key') },
    });
    mkdirSync(`${site}/.state`, { recursive: true });
    writeFileSync(`${site}/.state/secrets.yaml`, `hub:\n  cookieSecret: ${cookie}\nproxy:\n  secretToken: ${token}\n`, { mode: 0o600 });

    const playbook = (name: string) => `${root}/playbooks/${name}`;
    const runs = [
      [playbook('deploy-jhub.yml')],
      [playbook('enable-https.yml'), '--json'],
      [playbook('enable-https.yml'), '-e', `https.cert_file=${tls('test2.crt')}`, '-e', `https.key_file=${tls('test2.key')}`],
      [playbook('reinstall-jhub.yml'), '--yes', '--json'],
      [playbook('scale-cluster.yml'), '-e', 'terraform_vars.worker_count=3'],
      [playbook('rebuild-cluster.yml'), '--yes', '-e', 'terraform_vars.worker_count=3'],
    ];
    const output: string[] = [];
    for (const args of runs) {
      for (const mode of [['--dry-run'], ['--check'], []]) {
        const run = await runApp([...args, '-i', site, ...mode]);
        expect([0, 2], `${args.join(' ')} ${mode.join(' ')}: ${run.stdout}${run.stderr}`).toContain(run.code);
        output.push(run.stdout, run.stderr);
      }
    }
    const needles = [cookie, token, keyLine, ...[cookie, token].map((value) => Buffer.from(value).toString('base64'))];
    for (const needle of needles) expect(output.join('\n').includes(needle), 'output').toBe(false);

    // The simulated cluster's own store holds the hub's Secret, as etcd does; everything else the runner writes must not.
    const written = filesUnder(site).filter((path) => !['.state/secrets.yaml', '.state/cluster.jsonl'].includes(relative(site, path)));
    expect(written.some((path) => path.includes('/runs/')), 'run journals were written').toBe(true);
    for (const path of written) {
      const text = readFileSync(path, 'utf8');
      for (const needle of needles) expect(text.includes(needle), relative(site, path)).toBe(false);
    }
  }, 240_000);
});
