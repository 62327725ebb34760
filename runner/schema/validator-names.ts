export const playbookValidatorName = 'playbook';

export function argsValidatorName(pluginName: string): string {
  return `args-${pluginName}`;
}

/** The inventory's `sandbox:` settings. */
export const sandboxValidatorName = 'sandbox';
