import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { rsaKey, type RsaKey } from '../support/rsa-key.js';

export interface ControlPlanePki {
  caPem: string;
  servingCertificatePem: string;
  servingKeyPem: string;
  /** The key pair the API server signs service account tokens with, and checks them by. */
  serviceAccountKeyPem: string;
  serviceAccountPublicPem: string;
}

function certificateFor(key: RsaKey, commonName: string): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = key.forgePublicKey;
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 3650 * 86_400_000);
  certificate.setSubject([{ name: 'commonName', value: commonName }]);
  return certificate;
}

/** A CA of the site's own, the API server's serving certificate for loopback and the in-cluster names, and the service account keys. */
export function controlPlanePki(): ControlPlanePki {
  const caKey = rsaKey();
  const ca = certificateFor(caKey, 'sandbox control plane CA');
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true },
  ]);
  ca.sign(caKey.forgeKey, forge.md.sha256.create());

  const servingKey = rsaKey();
  const serving = certificateFor(servingKey, 'kube-apiserver');
  serving.setIssuer(ca.subject.attributes);
  serving.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
        { type: 2, value: 'kubernetes.default.svc' },
      ],
    },
  ]);
  serving.sign(caKey.forgeKey, forge.md.sha256.create());

  const serviceAccount = rsaKey();
  return {
    caPem: forge.pki.certificateToPem(ca),
    servingCertificatePem: forge.pki.certificateToPem(serving),
    servingKeyPem: servingKey.privatePem,
    serviceAccountKeyPem: serviceAccount.privatePem,
    serviceAccountPublicPem: serviceAccount.publicPem,
  };
}
