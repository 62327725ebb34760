/**
 * Validators compiled into the CLI bundle, by file name. Empty here: the bundle step fills it with
 * static requires of the generated files, so they share the bundle's code cache.
 */
export const bundledValidators: Readonly<Record<string, () => unknown>> = {};
