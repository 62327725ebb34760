import { X509Certificate } from 'node:crypto';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { certManagerCrds } from '../../../../sandbox/site/fresh-cluster.js';
import { kubeSandbox, type KubeSandbox } from '../../../helpers/kube-sandbox.js';

const crds = certManagerCrds.map((crd) => stringify(crd)).join('---\n');
const clusterIssuer = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
spec:
  acme:
    server: https://acme-v02.api.letsencrypt.org/directory
    email: admin@example.edu
    privateKeySecretRef: {name: letsencrypt-account}
    solvers: [{http01: {ingress: {ingressClassName: nginx}}}]
`;
const certificate = (host: string, issuer = 'letsencrypt') => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: jhub-tls, namespace: jhub}
spec:
  secretName: jhub-tls
  dnsNames: [${host}]
  issuerRef: {name: ${issuer}, kind: ClusterIssuer}
`;

const getJson = async (sandbox: KubeSandbox, args: string[]) =>
  JSON.parse((await sandbox.kubectl([...args, '-o', 'json'])).stdout);
const servedCertificate = async (sandbox: KubeSandbox) => {
  const secret = await getJson(sandbox, ['get', 'secret', 'jhub-tls', '-n', 'jhub']);
  return { secret, x509: new X509Certificate(Buffer.from(secret.data['tls.crt'], 'base64')) };
};

describe.each(['v33', 'v30'] as const)('cert-manager on the simulator, driven by the real kubectl %s', (toolchain) => {
  it('registers the CRDs, readies the ClusterIssuer and issues a real TLS Secret that kubectl wait sees', async () => {
    const sandbox = await kubeSandbox(toolchain);
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    await sandbox.kubectl(['create', 'namespace', 'cert-manager']);
    expect((await sandbox.kubectl(['apply', '-f', '-'], crds)).exitCode).toBe(0);
    expect(
      (
        await sandbox.kubectl([
          'wait',
          '--for=condition=Established',
          'crd/certificates.cert-manager.io',
          '--timeout=10s',
        ])
      ).exitCode,
    ).toBe(0);
    expect((await sandbox.kubectl(['apply', '-f', '-'], clusterIssuer)).exitCode).toBe(0);
    expect((await sandbox.kubectl(['apply', '-f', '-'], certificate('hub.example.edu'))).exitCode).toBe(0);
    const waited = await sandbox.kubectl([
      'wait',
      '--for=condition=Ready',
      'certificate/jhub-tls',
      '-n',
      'jhub',
      '--timeout=10s',
    ]);
    expect(waited).toMatchObject({ exitCode: 0 });
    expect(waited.stdout).toContain('condition met');

    const issuer = await getJson(sandbox, ['get', 'clusterissuer', 'letsencrypt']);
    expect(issuer.status.conditions[0]).toMatchObject({ type: 'Ready', status: 'True' });
    expect(issuer.status.acme.lastRegisteredEmail).toBe('admin@example.edu');
    expect((await sandbox.kubectl(['get', 'secret', 'letsencrypt-account', '-n', 'cert-manager'])).exitCode).toBe(0);

    const { secret, x509 } = await servedCertificate(sandbox);
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(x509.subjectAltName).toBe('DNS:hub.example.edu');
    expect(
      x509.checkPrivateKey(
        (await import('node:crypto')).createPrivateKey(Buffer.from(secret.data['tls.key'], 'base64')),
      ),
    ).toBe(true);
    const status = (await getJson(sandbox, ['get', 'certificate', 'jhub-tls', '-n', 'jhub'])).status;
    expect(new Date(status.notAfter).getTime()).toBe(new Date(x509.validTo).getTime());
  });

  it('keeps the Secret while the names are the same and reissues it when they change', async () => {
    const sandbox = await kubeSandbox(toolchain);
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    await sandbox.kubectl(['apply', '-f', '-'], crds);
    await sandbox.kubectl(['apply', '-f', '-'], `${clusterIssuer.replace(/acme:[\s\S]*/, 'selfSigned: {}\n')}`);
    await sandbox.kubectl(['apply', '-f', '-'], certificate('a.example.edu'));
    await sandbox.kubectl(['wait', '--for=condition=Ready', 'certificate/jhub-tls', '-n', 'jhub', '--timeout=10s']);
    const first = await servedCertificate(sandbox);
    await sandbox.kubectl(['apply', '-f', '-'], certificate('a.example.edu'));
    sandbox.server.settle();
    expect((await servedCertificate(sandbox)).x509.fingerprint256).toBe(first.x509.fingerprint256);

    await sandbox.kubectl(['apply', '-f', '-'], certificate('b.example.edu'));
    sandbox.server.settle();
    const second = await servedCertificate(sandbox);
    expect(second.x509.subjectAltName).toBe('DNS:b.example.edu');
    expect((await getJson(sandbox, ['get', 'certificate', 'jhub-tls', '-n', 'jhub'])).status.revision).toBe(2);
  });

  it("leaves a Certificate whose issuer does not exist not Ready, with cert-manager's reason", async () => {
    const sandbox = await kubeSandbox(toolchain);
    await sandbox.kubectl(['create', 'namespace', 'jhub']);
    await sandbox.kubectl(['apply', '-f', '-'], crds);
    await sandbox.kubectl(['apply', '-f', '-'], certificate('hub.example.edu', 'missing'));
    const waited = await sandbox.kubectl([
      'wait',
      '--for=condition=Ready',
      'certificate/jhub-tls',
      '-n',
      'jhub',
      '--timeout=1s',
    ]);
    expect(waited.exitCode).not.toBe(0);
    const condition = (await getJson(sandbox, ['get', 'certificate', 'jhub-tls', '-n', 'jhub'])).status.conditions[0];
    expect(condition).toMatchObject({ status: 'False', message: 'Referenced ClusterIssuer "missing" not found' });
    expect((await sandbox.kubectl(['get', 'secret', 'jhub-tls', '-n', 'jhub'])).exitCode).not.toBe(0);
  });
});
