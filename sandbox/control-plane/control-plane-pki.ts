import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface ControlPlanePki {
  caPem: string;
  servingCertificatePem: string;
  servingKeyPem: string;
  /** The key pair the API server signs service account tokens with, and checks them by. */
  serviceAccountKeyPem: string;
  serviceAccountPublicPem: string;
}

function rsaKey(): { privatePem: string; publicPem: string; forgeKey: forge.pki.rsa.PrivateKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey, forgeKey: forge.pki.privateKeyFromPem(privateKey) };
}

function certificateFor(publicKey: forge.pki.rsa.PrivateKey, commonName: string): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(publicKey.n, publicKey.e);
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 3650 * 86_400_000);
  certificate.setSubject([{ name: 'commonName', value: commonName }]);
  return certificate;
}

/** A CA of the site's own, the API server's serving certificate for loopback and the in-cluster names, and the service account keys. */
export function controlPlanePki(): ControlPlanePki {
  const caKey = rsaKey();
  const ca = certificateFor(caKey.forgeKey, 'sandbox control plane CA');
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true },
  ]);
  ca.sign(caKey.forgeKey, forge.md.sha256.create());

  const servingKey = rsaKey();
  const serving = certificateFor(servingKey.forgeKey, 'kube-apiserver');
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
