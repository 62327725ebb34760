/**
 * terraform's "Error acquiring the state lock" as a person can act on it: who holds the lock, its ID, and
 * the documented way to release it once no terraform runs. The runner never releases it itself.
 */
export function stateLockMessage(output: string, base: readonly string[]): string | undefined {
  if (!/Error acquiring the state lock/.test(output)) return undefined;
  const field = (name: string) => new RegExp(`^\\s*${name}:\\s*(.*)$`, 'm').exec(output)?.[1]?.trim() ?? '';
  const id = field('ID');
  return (
    `the terraform state is locked (lock ID ${id || 'unknown'}, ${field('Operation') || 'an operation'} by ${field('Who') || 'someone'} since ${field('Created') || 'an unknown time'}): ` +
    `another terraform is working on this state, or one that was stopped before it finished left the lock behind (a remote backend keeps it). Wait for a running one to finish; ` +
    `if none runs, release the lock with: ${[...base, 'force-unlock', id || '<LOCK_ID>'].join(' ')}, and run again`
  );
}
