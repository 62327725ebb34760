import fc from 'fast-check';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObjects } from '../helpers/site-objects.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
const playbook = (name: string) => `${root}/playbooks/${name}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    // The sandbox's bin/ holds links to the kubectl and helm binaries, not files the runner writes.
    if (stat.isSymbolicLink() || (name === 'bin' && stat.isDirectory())) return [];
    return stat.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every form a secret may be written in that the runner promises to mask. */
function writtenForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    json,
    json.replace(/[<>&]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
    secret.replace(/'/g, "''"),
    encodeURIComponent(secret),
  ];
  if (secret.includes('\n')) forms.push(...secret.split('\n').map((line) => line.trim()));
  return [...new Set(forms)];
}

/** Quotes, backslashes, YAML and template syntax, non-ASCII text, around a nonce that makes each line unique. */
const awkward = fc.constantFrom('"', "'", '\\', ' ', '\t', 'é', '密', '🔑', '$', '%', ': ', '#', '{{', '<', '&', '\\n');
const secretLine = fc
  .tuple(fc.array(awkward, { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[a-f0-9]{12}$/), fc.array(awkward, { maxLength: 3 }))
  .map(([before, nonce, after]) => `${before.join('')}${nonce}${after.join('')}`)
  // Go's YAML parser (helm's) refuses a folded line that starts with a tab: no site could use such a secrets file.
  .filter((line) => !/^\s*\t/.test(line));
const awkwardSecret = fc.array(secretLine, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));

/** deploy, HTTPS twice (a new certificate the second time), reinstall, scale, rebuild, and preparing a backup, in each mode. */
async function everyPlaybookInEveryMode(site: string): Promise<string[]> {
  const backup = `${site}/.state/backups/prepared`;
  const runs = [
    [playbook('deploy-jhub.yml')],
    [playbook('enable-https.yml'), '--json'],
    [playbook('enable-https.yml'), '-e', `https.cert_file=${tls('test2.crt')}`, '-e', `https.key_file=${tls('test2.key')}`],
    [playbook('reinstall-jhub.yml'), '--yes', '--json'],
    [playbook('scale-cluster.yml'), '-e', 'terraform_vars.worker_count=3'],
    [playbook('prepare-pv-restore.yml'), '-e', `backup_dir=${backup}`, '--json'],
    [playbook('rebuild-cluster.yml'), '--yes', '-e', 'terraform_vars.worker_count=3'],
  ];
  const output: string[] = [];
  for (const args of runs) {
    if (args[0]!.endsWith('prepare-pv-restore.yml')) {
      mkdirSync(backup, { recursive: true });
      const objects = siteObjects(site);
      writeFileSync(`${backup}/pvc.json`, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects.filter((object) => object.kind === 'PersistentVolumeClaim' && object.metadata.namespace === 'jhub') }));
      writeFileSync(`${backup}/pv.json`, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects.filter((object) => object.kind === 'PersistentVolume' && object.spec.claimRef?.namespace === 'jhub') }));
    }
    for (const mode of [['--dry-run'], ['--check'], []]) {
      const run = await runApp([...args, '-i', site, ...mode]);
      expect([0, 2], `${args.join(' ')} ${mode.join(' ')}: ${run.stdout}${run.stderr}`).toContain(run.code);
      output.push(run.stdout, run.stderr);
    }
  }
  return output;
}

describe('secrets through every playbook', () => {
  it('never appear, in any written form, in any output stream, run journal or file the runner writes, in any mode', async () => {
    await fc.assert(
      fc.asyncProperty(awkwardSecret, awkwardSecret, async (cookie, token) => {
        const keyLine = readFileSync(tls('test1.key'), 'utf8').split('\n')[1]!;
        const site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub' } }, {
          https: { mode: 'custom', domain: 'js-169-xx.jetstream-cloud.org', cert_file: tls('test1.crt'), key_file: tls('test1.key') },
        });
        mkdirSync(`${site}/.state`, { recursive: true });
        // Written as a person's editor would: long values folded over lines, quoted and escaped as YAML needs.
        writeFileSync(`${site}/.state/secrets.yaml`, stringify({ hub: { cookieSecret: cookie }, proxy: { secretToken: token } }, { lineWidth: 24, minContentWidth: 0 }), { mode: 0o600 });

        const output = (await everyPlaybookInEveryMode(site)).join('\n');
        // Each line's nonce too: a piece of a secret (a folded YAML line in a diff's context) is a leak as well.
        const nonces = `${cookie}\n${token}`.match(/[a-f0-9]{12}/g) ?? [];
        const needles = [...writtenForms(cookie), ...writtenForms(token), ...nonces, keyLine];
        for (const needle of needles) expect(output.includes(needle), `output holds ${JSON.stringify(needle)}`).toBe(false);

        // The simulated cluster's own store holds the hub's Secret, as etcd does; everything else the runner writes must not.
        const written = filesUnder(site).filter((path) => !['.state/secrets.yaml', '.state/cluster.jsonl'].includes(relative(site, path)));
        expect(written.some((path) => path.includes('/runs/')), 'run journals were written').toBe(true);
        for (const path of written) {
          const text = readFileSync(path, 'utf8');
          for (const needle of needles) expect(text.includes(needle), `${relative(site, path)} holds ${JSON.stringify(needle)}`).toBe(false);
        }
      }),
      // A failure reports at once: shrinking a run of every playbook would outlast the timeout and hide the cause.
      { numRuns: 2, endOnFailure: true, examples: [['canary 0123456789ab cdef01234567 89abcdef0123', 'token "a1b2c3d4e5f6" \\ 0f1e2d3c4b5a é']] },
    );
  }, 600_000);
});
