import type { RecapEvent, RunMode } from '../events/run-event.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';

export function exitCodeFor(recap: RecapEvent, mode: RunMode): ExitCodeValue {
  if (recap.interrupted) return ExitCode.interrupted;
  if (recap.refused) return ExitCode.refused;
  if (recap.failed > 0) return ExitCode.stepFailed;
  if (mode === 'check' && recap.changed + recap.unknown > 0) return ExitCode.checkFoundChanges;
  return ExitCode.ok;
}
