import { X509Certificate } from 'node:crypto';

/** What a person needs to recognise a certificate in a diff: never the key, only public facts. */
export function certificateSummary(pem: string | undefined): string | undefined {
  if (pem === undefined) return undefined;
  try {
    const certificate = new X509Certificate(pem);
    return `subject: ${certificate.subject.replace(/\n/g, ', ')}\nvalid until: ${certificate.validTo}\nsha256: ${certificate.fingerprint256}\n`;
  } catch {
    return 'unreadable certificate\n';
  }
}
