/**
 * Asks `check` every `intervalMs` until it holds, or throws `what` once `timeoutMs` passed: the
 * sandbox waits for a condition of the cluster, never for a fixed time.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  what: () => string,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
