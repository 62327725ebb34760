import { createPublicKey, createSign, createVerify } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { rsaKey } from '../../../sandbox/support/rsa-key.js';

describe('rsaKey', () => {
  it('gives one 2048-bit key pair, in PEM and as forge sees it', () => {
    const key = rsaKey();
    const signature = createSign('sha256').update('payload').sign(key.privatePem);
    expect(createVerify('sha256').update('payload').verify(key.publicPem, signature)).toBe(true);
    expect(createPublicKey(key.publicPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(forge.pki.publicKeyToPem(key.forgePublicKey).replace(/\r/g, '')).toBe(key.publicPem);
  });
});
