import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A named point where a simulated component stops and waits for a test: set by JHUB_SANDBOX_HOLD
 * (`<point>` or `<point>@<n>`, where n is how many of those calls must already have completed) and
 * JHUB_SANDBOX_HOLD_DIR. On arrival the caller appends a line to `<dir>/reached`, then waits until
 * `<dir>/release` exists; a kill or a lock held "in the middle" is then a fact, not a race.
 */
export interface HoldPoint {
  point: string;
  after: number;
  dir: string;
}

export function holdPointOf(env: NodeJS.ProcessEnv): HoldPoint | undefined {
  const spec = env['JHUB_SANDBOX_HOLD'];
  const dir = env['JHUB_SANDBOX_HOLD_DIR'];
  if (!spec || !dir) return undefined;
  const [point = '', after = '0'] = spec.split('@');
  return { point, after: Number(after) || 0, dir };
}

/** How often a held caller looks for its release: a wait on a condition, not a delay. */
const pollMs = 10;

/** Stops at `point` if the environment holds it there and `completed` calls of it have been made, until the test releases it. */
export async function holdIfAsked(hold: HoldPoint | undefined, point: string, completed: () => number): Promise<void> {
  if (!hold) return;
  // Every point passed, in order, so a test can find the one it wants to hold.
  appendFileSync(join(hold.dir, 'passed'), `${point}\n`);
  if (hold.point !== point || completed() < hold.after) return;
  const release = join(hold.dir, 'release');
  if (existsSync(release)) return;
  appendFileSync(join(hold.dir, 'reached'), `${JSON.stringify({ point, pid: process.pid })}\n`);
  while (!existsSync(release)) await new Promise((resolve) => setTimeout(resolve, pollMs));
}
