import { describe, expect, it } from 'vitest';
import { stripBookkeeping } from '../../runner/ui/diff-bookkeeping.js';

/** What `kubectl diff` prints for an Issuer applied a second time with a new e-mail. */
const kubectlDiff = `diff -u -N /tmp/LIVE-1/cert-manager.io.v1.Issuer.jhub.letsencrypt /tmp/MERGED-2/cert-manager.io.v1.Issuer.jhub.letsencrypt
--- /tmp/LIVE-1/cert-manager.io.v1.Issuer.jhub.letsencrypt
+++ /tmp/MERGED-2/cert-manager.io.v1.Issuer.jhub.letsencrypt
@@ -3,14 +3,14 @@
 metadata:
   annotations:
     kubectl.kubernetes.io/last-applied-configuration: |
-      {"apiVersion":"cert-manager.io/v1","kind":"Issuer","metadata":{"annotations":{},"name":"letsencrypt","namespace":"jhub"},"spec":{"acme":{"email":"old@example.org"}}}
+      {"apiVersion":"cert-manager.io/v1","kind":"Issuer","metadata":{"annotations":{},"name":"letsencrypt","namespace":"jhub"},"spec":{"acme":{"email":"new@example.org"}}}
   creationTimestamp: "2026-12-01T10:00:00Z"
-  resourceVersion: "41"
+  resourceVersion: "57"
   name: letsencrypt
   namespace: jhub
 spec:
   acme:
-    email: old@example.org
+    email: new@example.org
     privateKeySecretRef:
       name: letsencrypt
     server: https://acme-v02.api.letsencrypt.org/directory`;

describe('stripBookkeeping', () => {
  it('drops the last-applied annotation with its wrapped value and resourceVersion, keeping the real change and recounting the hunk', () => {
    const stripped = stripBookkeeping(kubectlDiff);
    expect(stripped).not.toContain('last-applied-configuration');
    expect(stripped).not.toContain('resourceVersion');
    expect(stripped).not.toContain('"apiVersion"');
    expect(stripped).toContain('-    email: old@example.org\n+    email: new@example.org');
    expect(stripped.split('\n')[3]).toBe('@@ -3,11 +3,11 @@');
    expect(stripped.split('\n').slice(0, 3)).toEqual(kubectlDiff.split('\n').slice(0, 3));
  });

  it('drops managedFields blocks, in YAML and in indented JSON, with their closing bracket', () => {
    const yaml = [
      '@@ -1,8 +1,8 @@',
      ' metadata:',
      '   managedFields:',
      '-  - manager: kubectl',
      '-    operation: Update',
      '+  - manager: helm',
      '+    operation: Apply',
      '   name: x',
      '-  labels: {a: "1"}',
      '+  labels: {a: "2"}',
    ].join('\n');
    expect(stripBookkeeping(yaml)).toBe(
      ['@@ -1,3 +1,3 @@', ' metadata:', '   name: x', '-  labels: {a: "1"}', '+  labels: {a: "2"}'].join('\n'),
    );
    const json = [
      '@@ -1,7 +1,7 @@',
      '   "metadata": {',
      '     "managedFields": [',
      '-      {"manager": "a"}',
      '+      {"manager": "b"}',
      '     ],',
      '     "name": "x"',
      '   }',
    ].join('\n');
    expect(stripBookkeeping(json)).toBe(
      '(only server bookkeeping changed: managedFields, resourceVersion, last-applied-configuration)',
    );
  });

  it('says so when only bookkeeping changed, and leaves a diff without any alone', () => {
    const only = [
      '--- a',
      '+++ b',
      '@@ -1,2 +1,2 @@',
      ' metadata:',
      '-  resourceVersion: "1"',
      '+  resourceVersion: "2"',
    ].join('\n');
    expect(stripBookkeeping(only)).toBe(
      [
        '--- a',
        '+++ b',
        '(only server bookkeeping changed: managedFields, resourceVersion, last-applied-configuration)',
      ].join('\n'),
    );
    const plain = ['--- a', '+++ b', '@@ -1 +1 @@', '-x: 1', '+x: 2'].join('\n');
    expect(stripBookkeeping(plain)).toBe(plain);
  });
});
