/** What rendering needs of the run's secrets: whether a value holds (or was made from) one, and to make a value one. */
export interface SecretTaint {
  /** The value, or anything in it, is or holds a secret. */
  bears(value: unknown): boolean;
  /** The value itself is a secret, or was made from one: a map merely holding one secret among other data is not. */
  taints(value: unknown): boolean;
  addDerived(value: unknown): void;
}

let secrets: SecretTaint | undefined;
let readSecret = false;

/** The run's secrets, for everything rendered from now on; a value rendered from a secret becomes one. */
export function taintFrom(taint: SecretTaint | undefined): void {
  secrets = taint;
}

/** A value a template read: when it holds a secret, what the template makes of it is a secret too. */
export function noteRead<T>(value: T): T {
  if (!readSecret && secrets?.taints(value)) readSecret = true;
  return value;
}

/** What a filter made from a secret is a secret, before the template goes on with it. */
export function noteFiltered(inputs: readonly unknown[], output: unknown): void {
  if (secrets && inputs.some((input) => secrets!.bears(input))) {
    secrets.addDerived(output);
    readSecret = true;
  }
}

/** Runs one render; when it read a secret, its result is a secret too (short common words aside). */
export function tracked<T>(render: () => T): T {
  const outer = readSecret;
  readSecret = false;
  try {
    const result = render();
    if (readSecret) secrets?.addDerived(result);
    return result;
  } finally {
    readSecret = outer || readSecret;
  }
}
