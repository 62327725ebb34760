import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { runWrites, siteObject } from '../helpers/site-objects.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
const servedCertificate = (site: string) => new X509Certificate(Buffer.from(siteObject(site, 'Secret', 'cert-secret', 'jhub').data['tls.crt'], 'base64'));

describe.each(['v33', 'v30'] as const)('enable-https on the simulated site (toolchain %s)', (toolchain) => {
  it('letsencrypt: issuer, certificate, ingress with TLS through helm; a rerun changes nothing', async () => {
    const site = await sandboxSiteCopy({ toolchain }, { https: { mode: 'letsencrypt', domain: 'hub.example.edu', email: 'admin@example.edu' } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    const enabled = await runApp([playbook('enable-https.yml'), '-i', site]);
    expect(enabled.code, enabled.stdout + enabled.stderr).toBe(0);
    expect(siteObject(site, 'Issuer', 'letsencrypt', 'jhub').spec.acme).toMatchObject({ email: 'admin@example.edu', server: 'https://acme-v02.api.letsencrypt.org/directory' });
    expect(siteObject(site, 'Certificate', 'cert-secret', 'jhub').status.conditions[0]).toMatchObject({ type: 'Ready', status: 'True' });
    expect(servedCertificate(site).subjectAltName).toBe('DNS:hub.example.edu');
    expect(siteObject(site, 'Ingress', 'jupyterhub', 'jhub').spec.tls).toEqual([{ hosts: ['hub.example.edu'], secretName: 'cert-secret' }]);
    const secrets = readFileSync(`${site}/.state/secrets.yaml`, 'utf8');
    expect(secrets).toContain('ingress:\n  enabled: true');
    expect(enabled.stdout).not.toMatch(/cookieSecret: [0-9a-f]{64}/);

    const again = await runApp([playbook('enable-https.yml'), '-i', site]);
    expect(again.stdout).toMatch(/Recap: ok=\d+ {2}changed=0 /);
    expect(runWrites(again.stdout).api).toBe(0);
    const deployed = await runApp([playbook('deploy-jhub.yml'), '-i', site]);
    expect(deployed.stdout, 'a later deploy keeps serving HTTPS').toMatch(/Recap: ok=5 {2}changed=0 /);
  }, 120_000);

  it('custom: a TLS secret from the site\'s files, renewed when they change', async () => {
    const https = (pair: number) => ({ https: { mode: 'custom', domain: 'js-169-xx.jetstream-cloud.org', cert_file: tls(`test${pair}.crt`), key_file: tls(`test${pair}.key`) } });
    const site = await sandboxSiteCopy({ toolchain }, https(1));
    const enabled = await runApp([playbook('enable-https.yml'), '-i', site]);
    expect(enabled.code, enabled.stdout + enabled.stderr).toBe(0);
    expect(servedCertificate(site).fingerprint256).toBe(new X509Certificate(readFileSync(tls('test1.crt'))).fingerprint256);
    expect(siteObject(site, 'Ingress', 'jupyterhub', 'jhub').spec.rules[0].host).toBe('js-169-xx.jetstream-cloud.org');
    expect(enabled.stdout).not.toContain(readFileSync(tls('test1.key'), 'utf8').split('\n')[1]);

    const same = await runApp([playbook('enable-https.yml'), '-i', site]);
    expect(same.stdout).toMatch(/Recap: ok=\d+ {2}changed=0 /);
    const renewed = await runApp([playbook('enable-https.yml'), '-i', site, '-e', `https.cert_file=${tls('test2.crt')}`, '-e', `https.key_file=${tls('test2.key')}`]);
    expect(renewed.code).toBe(0);
    expect(renewed.stdout).toContain('renew TLS secret jhub/cert-secret');
    expect(renewed.stdout).toMatch(/Recap: ok=\d+ {2}changed=1 /);
    expect(servedCertificate(site).fingerprint256).toBe(new X509Certificate(readFileSync(tls('test2.crt'))).fingerprint256);
  }, 120_000);
});

describe('enable-https refuses early', () => {
  it('a missing certificate file fails the first step and nothing is written', async () => {
    const site = await sandboxSiteCopy({}, { https: { mode: 'custom', domain: 'hub.example.edu', cert_file: '/nonexistent/ssl.crt', key_file: tls('test1.key') } });
    const run = await runApp([playbook('enable-https.yml'), '-i', site]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('/nonexistent/ssl.crt does not exist or cannot be read');
    expect(run.stdout).not.toContain('relative to the current folder');
    expect(run.stdout).toMatch(/Recap: ok=1 {2}changed=0 {2}skipped=1 {2}failed=1/);
    expect(runWrites(run.stdout)).toEqual({ api: 0, cloud: 0 });
  });

  it('takes the self-signed pair the README tells a rehearsal to make with openssl', async () => {
    const dir = await tempDir();
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=hub.sandbox.test', '-keyout', `${dir}/ssl.key`, '-out', `${dir}/ssl.crt`]);
    expect(made.status, String(made.stderr)).toBe(0);
    const site = await sandboxSiteCopy({}, { https: { mode: 'custom', domain: 'hub.sandbox.test', cert_file: `${dir}/ssl.crt`, key_file: `${dir}/ssl.key` } });
    const run = await runApp([playbook('enable-https.yml'), '-i', site]);
    expect(run.code, run.stdout).toBe(0);
    expect(servedCertificate(site).fingerprint256).toBe(new X509Certificate(readFileSync(`${dir}/ssl.crt`)).fingerprint256);
  }, 120_000);

  it('a relative file name says where it was looked for', async () => {
    const site = await sandboxSiteCopy({}, { https: { mode: 'custom', domain: 'hub.example.edu', cert_file: 'ssl.crt', key_file: 'ssl.key' } });
    const run = await runApp([playbook('enable-https.yml'), '-i', site]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`ssl.crt does not exist or cannot be read (looked for ${process.cwd()}/ssl.crt, relative to the current folder)`);
  });

  it('an unknown mode and a missing e-mail are named before anything runs', async () => {
    const wrongMode = await runApp([playbook('enable-https.yml'), '-i', await sandboxSiteCopy({}, { https: { mode: 'letsencrpyt', domain: 'hub.example.edu' } })]);
    expect(wrongMode.stdout).toContain('https.mode must be letsencrypt or custom, not "letsencrpyt"');
    const noEmail = await runApp([playbook('enable-https.yml'), '-i', await sandboxSiteCopy({}, { https: { mode: 'letsencrypt', domain: 'hub.example.edu' } })]);
    expect(noEmail.code).toBe(3);
    expect(noEmail.stderr).toMatch(/parts\/https\.yml:\d+:\d+: 'https' has no key 'email'/);
    expect(noEmail.runner.calls).toEqual([]);
  });
});

describe('HTTPS comes back after a rebuild or a reinstall', () => {
  it('letsencrypt, rebuild-cluster: the new cluster gets its issuer and a Ready certificate again, and enable-https finds nothing to do', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub' } }, { https: { mode: 'letsencrypt', domain: 'hub.example.edu', email: 'admin@example.edu' } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    expect((await runApp([playbook('enable-https.yml'), '-i', site])).code).toBe(0);
    const rebuilt = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--yes']);
    expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
    expect(siteObject(site, 'Certificate', 'cert-secret', 'jhub').status.conditions[0]).toMatchObject({ type: 'Ready', status: 'True' });
    expect(servedCertificate(site).subjectAltName).toBe('DNS:hub.example.edu');
    expect(siteObject(site, 'Ingress', 'jupyterhub', 'jhub').spec.tls).toEqual([{ hosts: ['hub.example.edu'], secretName: 'cert-secret' }]);
    const checked = await runApp([playbook('enable-https.yml'), '-i', site, '--check']);
    expect(checked.code, checked.stdout).toBe(0);
  }, 180_000);

  it('custom, reinstall-jhub: the same certificate is served after, and switching from letsencrypt removed the issuer and certificate request', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 3, namespace: 'jhub' } }, { https: { mode: 'letsencrypt', domain: 'hub.example.edu', email: 'admin@example.edu' } });
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code).toBe(0);
    expect((await runApp([playbook('enable-https.yml'), '-i', site])).code).toBe(0);
    const custom = ['-e', 'https.mode=custom', '-e', `https.cert_file=${tls('test1.crt')}`, '-e', `https.key_file=${tls('test1.key')}`];
    const switched = await runApp([playbook('enable-https.yml'), '-i', site, ...custom]);
    expect(switched.code, switched.stdout).toBe(0);
    expect(siteObject(site, 'Certificate', 'cert-secret', 'jhub')).toBeUndefined();
    expect(siteObject(site, 'Issuer', 'letsencrypt', 'jhub')).toBeUndefined();
    const fingerprint = new X509Certificate(readFileSync(tls('test1.crt'))).fingerprint256;
    expect(servedCertificate(site).fingerprint256).toBe(fingerprint);

    // The mode given with -e is not in the inventory: without it, a reinstall or a rebuild would switch it back.
    const forgotten = await runApp([playbook('reinstall-jhub.yml'), '-i', site, '--yes']);
    expect(forgotten.code, forgotten.stdout).toBe(4);
    expect(forgotten.stdout).toContain('the hub serves HTTPS with custom (the TLS Secret cert-secret in jhub');
    expect(forgotten.stdout).toContain("Set https.mode: custom in the site's inventory to keep it");
    expect(runWrites(forgotten.stdout)).toEqual({ api: 0, cloud: 0 });
    const rebuildPreview = await runApp([playbook('rebuild-cluster.yml'), '-i', site, '--check']);
    expect(rebuildPreview.code, rebuildPreview.stdout).toBe(4);
    expect(rebuildPreview.stdout).toContain('this run would switch it to letsencrypt');
    expect((await runApp([playbook('deploy-jhub.yml'), '-i', site])).code, 'no pending restore was left').toBe(0);
    expect(servedCertificate(site).fingerprint256).toBe(fingerprint);

    const reinstalled = await runApp([playbook('reinstall-jhub.yml'), '-i', site, '--yes', ...custom]);
    expect(reinstalled.code, reinstalled.stdout + reinstalled.stderr).toBe(0);
    expect(servedCertificate(site).fingerprint256).toBe(fingerprint);
    expect(siteObject(site, 'Ingress', 'jupyterhub', 'jhub').spec.tls).toEqual([{ hosts: ['hub.example.edu'], secretName: 'cert-secret' }]);
    const checked = await runApp([playbook('enable-https.yml'), '-i', site, '--check', ...custom]);
    expect(checked.code, checked.stdout).toBe(0);
  }, 180_000);
});
