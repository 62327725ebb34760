/** A name a template can read as a variable; the same rule for the inventory, the playbook and -e. */
export const variableNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function variableNameProblem(name: string): string | undefined {
  return variableNamePattern.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a valid variable name: use letters, digits and _, not starting with a digit`;
}
