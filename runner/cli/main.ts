import { CommanderError } from 'commander';
import type { AppIO } from '../app/app-io.js';
import { ExitCode } from '../exit-codes.js';
import { buildProgram, type Invocation } from './program.js';

function parse(
  argv: readonly string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Invocation | number {
  let invocation: Invocation | undefined;
  const program = buildProgram((chosen) => (invocation = chosen));
  program.configureOutput({ writeOut: (text) => stdout.write(text), writeErr: (text) => stderr.write(text) });
  // A bare `run` is someone finding out what it does: the whole usage, not one missing argument.
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.invalidInput;
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    )
      return ExitCode.ok;
    return ExitCode.invalidInput;
  }
  return invocation ?? ExitCode.invalidInput;
}

/** Entry point: parses argv, then loads only what the chosen command needs. */
export async function main(argv: readonly string[], io: AppIO): Promise<number> {
  const invocation = parse(argv, io.stdout, io.stderr);
  if (typeof invocation === 'number') return invocation;
  if (invocation.command === 'schema') {
    const { writeSchema } = await import('../app/write-schema.js');
    return writeSchema(invocation.output, io);
  }
  if (invocation.command === 'doc') {
    const { printPluginDoc } = await import('../app/plugin-doc.js');
    return printPluginDoc(invocation.plugin, io);
  }
  if (invocation.command === 'release-restore') {
    const { releaseRestore } = await import('../app/release-restore.js');
    return releaseRestore(invocation, io);
  }
  if (invocation.command === 'doctor') {
    const { doctor } = await import('../app/doctor.js');
    return doctor(invocation, io);
  }
  if (invocation.command === 'sandbox') {
    const { sandboxCommand } = await import('../app/sandbox-command.js');
    return sandboxCommand(invocation, io);
  }
  if (invocation.command === 'snapshot') {
    const { snapshotCommand } = await import('../app/snapshot-command.js');
    return snapshotCommand(invocation, io);
  }
  const { runPlaybook } = await import('../app/run-playbook.js');
  return runPlaybook(invocation.options, io);
}
