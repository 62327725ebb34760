export const playbookValidatorName = 'playbook';

export function argsValidatorName(pluginName: string): string {
  return `args-${pluginName}`;
}
