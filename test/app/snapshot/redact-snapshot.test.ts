import { describe, expect, it } from 'vitest';
import { looksSecret, redactSnapshot, secretMarker } from '../../../runner/app/snapshot/redact-snapshot.js';
import { SecretMasker } from '../../../runner/vars/secret-masker.js';

describe('redactSnapshot', () => {
  it('takes out keys, PEM, JWTs and random runs, and keeps the IDs and names a twin is built from', () => {
    for (const secret of [
      '4eca83bc989684935ca23f0ec43ae324aa4db7657fa7d1ce5d28c16b96169032',
      'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr',
      'token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl',
      '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n',
    ])
      expect(looksSecret(secret), secret).toBe(true);
    for (const plain of [
      'pvc-0c5d2f4e-7a1b-4c3d-9e8f-0123456789ab',
      'kubernetes-dynamic-pvc-0c5d2f4e-7a1b-4c3d-9e8f-0123456789ab',
      '5a6d9c3e0f1b4e7a8c2d4f6b1e3a5c7d',
      'c1d2e3f4a5b60718293a4b5c6d7e8f9012345678',
      'Successfully pulled image "quay.io/jupyterhub/k8s-hub@sha256:4eca83bc989684935ca23f0ec43ae324aa4db7657fa7d1ce5d28c16b96169032"',
      'sandboxproject0000000000000000000',
      'hub.sandbox.test',
    ])
      expect(looksSecret(plain), plain).toBe(false);
  });

  it("replaces the chart's secret keys and the site's known secrets, counting them, and leaves names of Secrets alone", () => {
    const masker = new SecretMasker();
    masker.add('the-site-password');
    const { value, redacted } = redactSnapshot(
      {
        hub: { cookieSecret: 'abc', config: { Auth: { client_secret: 'x', client_id: 'id' } } },
        proxy: { secretToken: 12345 },
        spec: { secretName: 'cert-secret', tls: [{ hosts: ['hub.example.org'] }] },
        message: 'login with the-site-password failed',
      },
      masker,
    );
    expect(value).toEqual({
      hub: { cookieSecret: secretMarker, config: { Auth: { client_secret: secretMarker, client_id: 'id' } } },
      proxy: { secretToken: secretMarker },
      spec: { secretName: 'cert-secret', tls: [{ hosts: ['hub.example.org'] }] },
      message: secretMarker,
    });
    expect(redacted).toBe(4);
  });
});
