/** kubectl's ways of saying no API server answered (destroyed, not yet installed, or the network is down). */
const patterns = [
  /Unable to connect to the server/i,
  /connection (?:to the server .* was )?refused/i,
  /connection reset by peer/i,
  /no such host/i,
  /i\/o timeout/i,
  /dial tcp/i,
  /: EOF\b/,
];

/** kubectl's last word when it could not reach any API server (it retries first); undefined for any other failure. */
export function unreachableCluster(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const last = lines.at(-1);
  if (!last || !patterns.some((pattern) => pattern.test(last))) return undefined;
  return last.replace(/^error: /, '');
}
