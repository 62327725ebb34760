import { Chalk, supportsColor, type ChalkInstance } from 'chalk';
import type { StepStatus } from '../events/run-event.js';

/** Colour only for a terminal, never when NO_COLOR is set (https://no-color.org) or `--no-color` is given. */
export function createColors(
  stream: NodeJS.WriteStream,
  enabled: boolean,
  env: NodeJS.ProcessEnv = process.env,
): ChalkInstance {
  const noColor = !enabled || (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '');
  const forced = env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0';
  if (noColor) return new Chalk({ level: 0 });
  if (!stream.isTTY && !forced) return new Chalk({ level: 0 });
  return new Chalk({ level: supportsColor ? supportsColor.level : 1 });
}

export function statusColor(colors: ChalkInstance, status: StepStatus): (text: string) => string {
  const byStatus: Record<StepStatus, (text: string) => string> = {
    ok: colors.green,
    changed: colors.yellow,
    skipped: colors.cyan,
    failed: colors.red,
    unknown: colors.magenta,
  };
  return byStatus[status];
}
