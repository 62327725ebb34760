import { isSecretAt } from '../../plugins/kube/secret-values.js';
import type { SecretMasker } from '../../vars/secret-masker.js';

/** What a snapshot holds in place of a secret value: it says a value was there, never what. */
export const secretMarker = '(secret: not in the snapshot)';

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A value that looks like a token or a key whatever its name: PEM, a JWT, or a run of 32 or more
 * base64 or hex characters once what is only an identifier is taken out: UUIDs (so `pvc-<uid>` and
 * volume IDs stay), image digests, and a lone 32 or 40 hex digits (an OpenStack ID, a git commit).
 */
export function looksSecret(text: string): boolean {
  if (/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/.test(text)) return true;
  if (/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./.test(text)) return true;
  const runs =
    text
      .replace(uuid, ' ')
      .replace(/sha256:[0-9a-f]{64}/g, ' ')
      .match(/[A-Za-z0-9+/=]{32,}/g) ?? [];
  const identifier = (run: string) => /^[0-9a-f]{32}$|^[0-9a-f]{40}$/.test(run);
  // A key mixes letters and digits at random; a name padded with zeros repeats one character, which a key all but never does.
  return runs.some(
    (run) =>
      !identifier(run) && /[0-9]/.test(run) && /[A-Za-z]/.test(run) && new Set(run).size >= 12 && !/(.)\1{4}/.test(run),
  );
}

/** The site's known secrets, keys the chart reads as secrets, and anything token-shaped, replaced by the marker; returns the count. */
export function redactSnapshot(value: unknown, masker: SecretMasker): { value: unknown; redacted: number } {
  let redacted = 0;
  const walk = (item: unknown, path: string[]): unknown => {
    if (typeof item === 'string') {
      if (isSecretAt(path) || masker.bears(item) || looksSecret(item)) {
        redacted += 1;
        return secretMarker;
      }
      return item;
    }
    if (typeof item === 'number' && isSecretAt(path)) {
      redacted += 1;
      return secretMarker;
    }
    if (Array.isArray(item)) return item.map((each, index) => walk(each, [...path, String(index)]));
    if (item && typeof item === 'object')
      return Object.fromEntries(Object.entries(item).map(([key, each]) => [key, walk(each, [...path, key])]));
    return item;
  };
  return { value: walk(value, []), redacted };
}
