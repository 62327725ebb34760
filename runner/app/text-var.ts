/** A variable's value when it is a non-empty string: what a path, a name or a binary must be. */
export const textVar = (vars: Readonly<Record<string, unknown>>, key: string): string | undefined =>
  typeof vars[key] === 'string' && vars[key] !== '' ? (vars[key] as string) : undefined;
