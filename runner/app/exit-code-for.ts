import type { RecapEvent, RunMode } from '../events/run-event.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { modePolicy } from '../engine/mode-policy.js';

export function exitCodeFor(recap: RecapEvent, mode: RunMode): ExitCodeValue {
  if (recap.interrupted) return ExitCode.interrupted;
  if (recap.refused) return ExitCode.refused;
  if (recap.failed > 0) return ExitCode.stepFailed;
  if (modePolicy(mode).changesFail && recap.changed + recap.unknown > 0) return ExitCode.checkFoundChanges;
  return ExitCode.ok;
}
