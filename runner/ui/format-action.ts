import type { DisplayAction } from '../events/run-event.js';

const safeWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes an argv element only so a person can read where it begins and ends; nothing is run through a shell. */
export function quoteArgument(argument: string): string {
  if (argument !== '' && safeWord.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

export function formatAction(action: DisplayAction): string {
  if (action.kind === 'write')
    return `write ${action.path} (${action.bytes} bytes${action.mode ? `, mode ${action.mode}` : ''})`;
  const command = action.argv.map(quoteArgument).join(' ');
  const extras = [
    action.cwd ? `in ${action.cwd}` : '',
    action.stdinBytes !== undefined ? `stdin: ${action.stdinBytes} bytes` : '',
  ].filter(Boolean);
  return extras.length > 0 ? `${command}  (${extras.join(', ')})` : command;
}
