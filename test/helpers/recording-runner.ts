import type { ExecRequest, ExecResult, ProcessRunner } from '../../runner/exec/exec-result.js';
import { processRunner } from '../../runner/exec/process-runner.js';

export interface RecordingRunner extends ProcessRunner {
  calls: ExecRequest[];
}

/** Runs for real (unless given canned answers) and remembers every argv, so tests can count spawns. */
export function recordingRunner(answer?: (request: ExecRequest) => ExecResult | undefined): RecordingRunner {
  const calls: ExecRequest[] = [];
  return {
    calls,
    async run(request, signal) {
      calls.push(request);
      const canned = answer?.(request);
      return canned ?? processRunner.run(request, signal);
    },
  };
}
