import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface RsaKey {
  privatePem: string;
  publicPem: string;
  /** The same key for node-forge, which builds and signs the certificates. */
  forgeKey: forge.pki.rsa.PrivateKey;
  forgePublicKey: forge.pki.rsa.PublicKey;
}

/** A 2048-bit RSA key, generated natively (forge's own generator is far slower). */
export function rsaKey(): RsaKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return {
    privatePem: privateKey,
    publicPem: publicKey,
    forgeKey,
    forgePublicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
  };
}
