import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { kubectlTlsSecretPlugin } from '../../runner/plugins/kubectl-tls-secret.js';
import { fakeProbeIO } from '../helpers/fake-probe-io.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
const keyText = readFileSync(tls('test1.key'), 'utf8');
const keyBody = keyText.split('\n')[1]!;

const playbook = (pair: number) => `
name: https
steps:
  - name: tls secret
    kubectl.tls_secret:
      binary: "{{ kubectl }}"
      kubeconfig: "{{ kubeconfig }}"
      name: cert-secret
      namespace: jhub
      cert: ${tls(`test${pair}.crt`)}
      key: ${tls(`test${pair}.key`)}
`;

describe.each(['v33', 'v30'] as const)('kubectl.tls_secret with the real kubectl of toolchain %s', (toolchain) => {
  it('builds exactly what `kubectl create secret tls --dry-run=client -o yaml` prints', async () => {
    const { kubectl } = await kubeBinaries(toolchain);
    const { execa } = await import('execa');
    const printed = parse(
      (
        await execa(kubectl, [
          'create',
          'secret',
          'tls',
          'cert-secret',
          `--cert=${tls('test1.crt')}`,
          `--key=${tls('test1.key')}`,
          '-n',
          'jhub',
          '--dry-run=client',
          '-o',
          'yaml',
        ])
      ).stdout,
    );
    delete printed.metadata.creationTimestamp;
    const facts = { cert: readFileSync(tls('test1.crt'), 'utf8'), key: keyText, live: undefined };
    const plan = kubectlTlsSecretPlugin.plan({ name: 'cert-secret', namespace: 'jhub', cert: 'c', key: 'k' }, facts);
    expect(JSON.parse((plan.actions[0] as { input: string }).input)).toEqual(printed);
  });

  it('creates, is ok while the files are the same, renews when they change, never shows the key', async () => {
    const sandbox = await kubeSandbox(toolchain);
    await sandbox.kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jhub\n');
    const { kubectl } = await kubeBinaries(toolchain);
    const vars = { kubectl, kubeconfig: sandbox.kubeconfig };
    const created = await runEngine(playbook(1), { dir: sandbox.dir, vars });
    expect(created.ends[0]).toMatchObject({ status: 'changed', reason: 'create TLS secret jhub/cert-secret' });
    const live = JSON.parse(
      (await sandbox.kubectl(['get', 'secret', 'cert-secret', '-n', 'jhub', '-o', 'json'])).stdout,
    );
    expect(live.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(live.data['tls.key'], 'base64').toString()).toBe(keyText);

    const writes = sandbox.server.mutatingRequests.length;
    const same = await runEngine(playbook(1), { dir: sandbox.dir, vars });
    expect(same.ends[0]).toMatchObject({ status: 'ok', reason: 'jhub/cert-secret holds this certificate and key' });
    expect(sandbox.server.mutatingRequests.length).toBe(writes);

    const renewed = await runEngine(playbook(2), { dir: sandbox.dir, vars });
    expect(renewed.ends[0]).toMatchObject({ status: 'changed', reason: 'renew TLS secret jhub/cert-secret' });
    const plan = renewed.events.find((event) => event.type === 'step:plan') as {
      diffs: { before: string; after: string }[];
    };
    expect(plan.diffs[0]!.before).toMatch(/^subject: CN=js-169-xx\.jetstream-cloud\.org\nvalid until: .*\nsha256: /);
    expect(plan.diffs[0]!.before).not.toBe(plan.diffs[0]!.after);
    for (const run of [created, same, renewed]) {
      const text = JSON.stringify(run.events);
      expect(text).not.toContain(keyBody);
      expect(text).not.toContain(Buffer.from(keyText).toString('base64').slice(0, 40));
    }
  });
});

describe('kubectl.tls_secret failures', () => {
  it('says which file is missing', async () => {
    const args = { name: 'cert-secret', namespace: 'jhub', cert: 'ssl.crt', key: 'ssl.key' };
    const facts = await kubectlTlsSecretPlugin.probe!(
      args,
      fakeProbeIO({ files: { 'ssl.key': 'k' }, run: async () => ({ exitCode: 0, stdout: '', stderr: '' }) }),
    );
    expect(() => kubectlTlsSecretPlugin.plan(args, facts)).toThrow('certificate file ssl.crt does not exist');
  });
});
