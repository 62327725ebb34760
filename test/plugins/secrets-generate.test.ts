import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { secretsGeneratePlugin } from '../../runner/plugins/secrets-generate.js';
import { fakeProbeIO } from '../helpers/fake-probe-io.js';

const keys = ['hub.cookieSecret', 'proxy.secretToken'];

async function planFor(
  files: Record<string, string>,
  modes: Record<string, number> = {},
  args = { path: 'secrets.yaml', keys },
) {
  const facts = await secretsGeneratePlugin.probe!(args, fakeProbeIO({ files, modes }));
  return { facts, plan: secretsGeneratePlugin.plan(args, facts) };
}

describe('secrets.generate', () => {
  it('absent file: creates every token as 64 hex characters, mode 0600, all marked secret', async () => {
    const { plan } = await planFor({});
    expect(plan.change).toBe('create');
    const write = plan.actions[0] as { kind: string; content: string; mode: number };
    expect(write).toMatchObject({ kind: 'write', path: 'secrets.yaml', mode: 0o600 });
    const values = parse(write.content);
    expect(values.hub.cookieSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(values.proxy.secretToken).toMatch(/^[0-9a-f]{64}$/);
    expect(values.hub.cookieSecret).not.toBe(values.proxy.secretToken);
    expect(plan.secrets).toEqual([values.hub.cookieSecret, values.proxy.secretToken]);
    expect(plan.data).toEqual({ path: 'secrets.yaml', generated: keys });
  });

  it('converged: keeps existing tokens and is ok with a reason', async () => {
    const text = 'hub:\n  cookieSecret: aaaa\nproxy:\n  secretToken: bbbb\n';
    const { plan } = await planFor({ 'secrets.yaml': text }, { 'secrets.yaml': 0o600 });
    expect(plan).toMatchObject({
      change: 'none',
      reason: 'all 2 secret(s) present in secrets.yaml',
      actions: [],
      secrets: ['aaaa', 'bbbb'],
    });
  });

  it('knows a kept token as the file writes it too, quoted or folded over lines, so a diff of the file shows it masked', async () => {
    const text =
      'hub:\n  cookieSecret: "a \\"quoted\\" token"\nproxy:\n  secretToken: >-\n    folded over\n    two lines\n';
    const { plan } = await planFor({ 'secrets.yaml': text }, { 'secrets.yaml': 0o600 });
    expect(plan.secrets).toEqual([
      'a "quoted" token',
      '"a \\"quoted\\" token"',
      'folded over two lines',
      '>-\n    folded over\n    two lines',
    ]);
  });

  it('drifted: adds only what is missing and keeps the rest and its comments', async () => {
    const text = '# from create_secrets.sh\nhub:\n  cookieSecret: aaaa\n';
    const { plan } = await planFor({ 'secrets.yaml': text }, { 'secrets.yaml': 0o600 });
    expect(plan.change).toBe('update');
    const content = (plan.actions[0] as { content: string }).content;
    expect(content.startsWith('# from create_secrets.sh\nhub:\n  cookieSecret: aaaa\n')).toBe(true);
    expect(parse(content).proxy.secretToken).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.data).toEqual({ path: 'secrets.yaml', generated: ['proxy.secretToken'] });
  });

  it('a readable file with every token is rewritten only to restrict its mode', async () => {
    const text = 'hub:\n  cookieSecret: aaaa\nproxy:\n  secretToken: bbbb\n';
    const { plan } = await planFor({ 'secrets.yaml': text }, { 'secrets.yaml': 0o644 });
    expect(plan).toMatchObject({ change: 'update', reason: 'restrict secrets.yaml to mode 0600' });
    expect(plan.actions[0]).toMatchObject({ content: text, mode: 0o600 });
  });

  it('honours bytes and encoding', async () => {
    const { plan } = await planFor(
      {},
      {},
      { path: 's.yaml', keys: [{ path: 'token', bytes: 16, encoding: 'base64url' }] as never },
    );
    expect(parse((plan.actions[0] as { content: string }).content).token).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('fails on a file that is not YAML instead of replacing it', async () => {
    await expect(planFor({ 'secrets.yaml': 'hub: [\n' })).rejects.toThrow(/^secrets\.yaml: invalid YAML/);
  });
});
