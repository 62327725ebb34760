import type { HoldPoint } from './hold-point.js';

const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * A shell script standing in for a tool on PATH, for a test that holds the runner's tools at their
 * start (JHUB_SANDBOX_HOLD=tool-start@n): every start is logged to `<dir>/starts` (tool and argv,
 * one line), the start after the n-th waits until `<dir>/release` exists, and then the tool itself
 * runs in the same process (exec), so its pid and process group are the ones the runner recorded.
 */
export function toolStartWrapper(hold: HoldPoint, tool: string): string {
  const dir = quoted(hold.dir);
  return `#!/bin/sh
dir=${dir}
printf '%s\\n' "$(basename "$0") $(printf '%s ' "$@" | tr '\\n' ' ')" >> "$dir/starts"
if [ "$(wc -l < "$dir/starts")" -gt ${hold.after} ] && [ ! -e "$dir/release" ]; then
  printf '{"point":"tool-start","tool":"%s","pid":%s}\\n' "$(basename "$0")" "$$" >> "$dir/reached"
  while [ ! -e "$dir/release" ]; do sleep 0.01; done
fi
exec ${quoted(tool)} "$@"
`;
}
