import type { Controller, ControllerContext } from './controller-context.js';

const maxRoundsPerTick = 25;
const maxRetries = 50;

/**
 * Runs every controller shortly after the store changes, pass after pass until nothing changes;
 * level-triggered, so a burst of 5,000 applies costs a few passes, not 5,000.
 */
export function startReconcileLoop(
  ctx: ControllerContext,
  controllers: Controller[],
  options: { delayMs: number; onError?: (error: Error) => void },
): { stop(): void; settle(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  let failures = 0;
  // A pass over a large cluster takes a while; waiting a few times as long between passes keeps a
  // burst of thousands of requests from spending most of its time in controllers.
  let pause = options.delayMs;
  const runPasses = () => {
    timer = undefined;
    if (stopped) return;
    running = true;
    const started = performance.now();
    try {
      for (let round = 0; round < maxRoundsPerTick; round += 1) {
        let changed = 0;
        for (const controller of controllers) changed += controller(ctx);
        if (changed === 0) break;
      }
    } catch (error) {
      // A conflict with a write made earlier in the same pass: try again shortly, as real controllers requeue.
      options.onError?.(error as Error);
      failures += 1;
      if (failures < maxRetries && !stopped) timer = setTimeout(runPasses, options.delayMs);
      return;
    } finally {
      running = false;
      pause = Math.max(options.delayMs, 4 * (performance.now() - started));
    }
    failures = 0;
  };
  // A pass runs once the store has been quiet for delayMs, or at the latest `pause` after the first change:
  // a burst of requests still gets spaced passes, and the pass after the burst's last write comes at once.
  let lastChange = 0;
  let latest = 0;
  const whenQuiet = () => {
    timer = undefined;
    const now = performance.now();
    if (now - lastChange >= options.delayMs || now >= latest) return runPasses();
    timer = setTimeout(whenQuiet, Math.min(options.delayMs, latest - now));
  };
  const unsubscribe = ctx.store.onChange(() => {
    lastChange = performance.now();
    if (running || stopped || timer) return;
    latest = lastChange + pause;
    timer = setTimeout(whenQuiet, options.delayMs);
  });
  // One timer for the earliest wake asked for: the pass it runs asks again for what is still to come.
  let wake: { at: number; timer: NodeJS.Timeout } | undefined;
  ctx.wakeAfter = (ms) => {
    const at = Date.now() + ms;
    if (stopped || (wake && wake.at <= at)) return;
    if (wake) clearTimeout(wake.timer);
    wake = {
      at,
      timer: setTimeout(() => {
        wake = undefined;
        if (!stopped && !timer) timer = setTimeout(runPasses, 0);
      }, ms),
    };
  };
  return {
    stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      if (wake) clearTimeout(wake.timer);
    },
    /** Runs the controllers now, again at once after a conflict, until a pass settles; for seeding and tests, where nothing should wait for a timer. */
    settle() {
      for (let attempt = 0; attempt < maxRetries && !stopped; attempt += 1) {
        if (timer) clearTimeout(timer);
        runPasses();
        if (failures === 0) return;
      }
    },
  };
}
