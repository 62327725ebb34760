import { isDeepStrictEqual } from 'node:util';

/**
 * Keys whose values a chart reads as secrets (z2jh's hub.cookieSecret, proxy.secretToken, an
 * authenticator's client_secret, a service's apiToken, a database password, a TLS key): never
 * shown in a diff, whichever side they come from, the live release's included.
 */
const secretKey = /secret|password|passwd|token|private_?key/i;
const secretPaths = [/^proxy\.https\.manual\.key$/];

/** Whether the value at this path of a chart's values is one the chart reads as a secret. */
export const isSecretAt = (path: string[]) => {
  const key = path.at(-1) ?? '';
  return (
    // A key that names a Secret (secretName, tokenSecretRef) says where one is, not what it holds.
    (secretKey.test(key) && !/^(existing|name)|(name|ref|namespace)$/i.test(key)) ||
    secretPaths.some((pattern) => pattern.test(path.join('.')))
  );
};

const placeholder = (changed: boolean) => (changed ? '(secret, changed)' : '(secret)');

function redact(value: unknown, other: unknown, path: string[], side: 'before' | 'after'): unknown {
  if (isSecretAt(path) && value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value)))
    return side === 'after' ? placeholder(!isDeepStrictEqual(value, other)) : placeholder(false);
  if (Array.isArray(value))
    return value.map((item, index) =>
      redact(item, Array.isArray(other) ? other[index] : undefined, [...path, String(index)], side),
    );
  if (value && typeof value === 'object') {
    const twin = other && typeof other === 'object' && !Array.isArray(other) ? (other as Record<string, unknown>) : {};
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        redact(item, twin[key], [...path, key], side),
      ]),
    );
  }
  return value;
}

/** Both sides of a values diff with every secret value replaced by a word that says only whether it changed. */
export function redactSecretValues(before: unknown, after: unknown): { before: unknown; after: unknown } {
  return { before: redact(before, after, [], 'before'), after: redact(after, before, [], 'after') };
}
