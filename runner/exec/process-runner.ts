import type { ExecRequest, ExecResult, ProcessRunner } from './exec-result.js';

const commandNotFound = 127;

/** Spawns argv arrays directly (never through a shell) and never throws on a non-zero exit; execa loads on first use. */
export const processRunner: ProcessRunner = {
  async run(request: ExecRequest, signal?: AbortSignal): Promise<ExecResult> {
    const [file, ...args] = request.argv;
    if (!file) return { exitCode: commandNotFound, stdout: '', stderr: 'empty argv' };
    const { execa } = await import('execa');
    const result = await execa(file, args, {
      cwd: request.cwd,
      env: request.env,
      // No input: stdin is /dev/null, which reads as the same empty stream as a pipe without the pipe's cost (~0.5 ms a spawn).
      ...(request.input === undefined ? { stdin: 'ignore' as const } : { input: request.input }),
      reject: false,
      stripFinalNewline: true,
      cancelSignal: signal,
      // Ctrl-C and SIGTERM reach the child through cancelSignal; execa's exit hooks cost ~1.5 ms a spawn and would kill a terraform apply mid-write if the runner crashed.
      cleanup: false,
      forceKillAfterDelay: 3000,
      maxBuffer: 256 * 1024 * 1024,
    });
    if (result.exitCode === undefined) {
      const reason = (result as { code?: string }).code === 'ENOENT' ? `command not found: ${file}` : (result.shortMessage ?? `cannot start ${file}`);
      return { exitCode: commandNotFound, stdout: String(result.stdout ?? ''), stderr: reason };
    }
    return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
  },
};
