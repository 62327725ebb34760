import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { rsaKey } from '../../support/rsa-key.js';

export interface IssuedCertificate {
  certificatePem: string;
  privateKeyPem: string;
  caPem: string;
  notBefore: Date;
  notAfter: Date;
}

let authority: { certificate: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey; pem: string } | undefined;

function sandboxAuthority(): NonNullable<typeof authority> {
  if (authority) return authority;
  const key = rsaKey();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = key.forgePublicKey;
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 3650 * 86_400_000);
  const subject = [{ name: 'commonName', value: "Sandbox ACME CA (simulated Let's Encrypt)" }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true },
  ]);
  certificate.sign(key.forgeKey, forge.md.sha256.create());
  authority = { certificate, key: key.forgeKey, pem: forge.pki.certificateToPem(certificate) };
  return authority;
}

/** A real X.509 certificate for the names, signed by the sandbox's own CA, valid for 90 days as Let's Encrypt's are. */
export function issueCertificate(dnsNames: string[], commonName = dnsNames[0] ?? 'sandbox'): IssuedCertificate {
  const ca = sandboxAuthority();
  const key = rsaKey();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = key.forgePublicKey;
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore.getTime() + 90 * 86_400_000);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = notAfter;
  certificate.setSubject([{ name: 'commonName', value: commonName }]);
  certificate.setIssuer(ca.certificate.subject.attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: dnsNames.map((value) => ({ type: 2, value })) },
  ]);
  certificate.sign(ca.key, forge.md.sha256.create());
  return {
    certificatePem: forge.pki.certificateToPem(certificate),
    privateKeyPem: key.privatePem,
    caPem: ca.pem,
    notBefore,
    notAfter,
  };
}
