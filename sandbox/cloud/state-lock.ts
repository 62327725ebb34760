import { randomUUID } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';

/** The lock of the simulated cloud's state, kept as a remote backend (Swift, S3) keeps one: a killed apply leaves it behind. */
const lockFile = '.terraform.tfstate.lock.info';

interface LockInfo {
  ID: string;
  Operation: string;
  Info: string;
  Who: string;
  Version: string;
  Created: string;
  Path: string;
}

/** Takes the lock, or prints terraform's own refusal (with the holder's lock ID) and returns undefined. */
export async function takeStateLock(dir: string, operation: string): Promise<LockInfo | undefined> {
  const info: LockInfo = {
    ID: randomUUID(),
    Operation: operation,
    Info: '',
    Who: `${userInfo().username}@${hostname()}`,
    Version: '1.9.8',
    Created: new Date().toISOString(),
    Path: 'terraform.tfstate',
  };
  try {
    const handle = await open(join(dir, lockFile), 'wx');
    await handle.writeFile(JSON.stringify(info));
    await handle.close();
    return info;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let held: Partial<LockInfo> = {};
  try {
    held = JSON.parse(await readFile(join(dir, lockFile), 'utf8')) as LockInfo;
  } catch {
    // A lock file cut short: its fields are unknown.
  }
  console.error(
    [
      'Error: Error acquiring the state lock',
      '',
      'Error message: resource temporarily unavailable',
      'Lock Info:',
      `  ID:        ${held.ID ?? ''}`,
      `  Path:      ${held.Path ?? 'terraform.tfstate'}`,
      `  Operation: ${held.Operation ?? ''}`,
      `  Who:       ${held.Who ?? ''}`,
      `  Version:   ${held.Version ?? ''}`,
      `  Created:   ${held.Created ?? ''}`,
      `  Info:      ${held.Info ?? ''}`,
      '',
      '',
      'Terraform acquires a state lock to protect the state from being written',
      'by multiple users at the same time. Please resolve the issue above and try',
      'again. For most commands, you can disable locking with the "-lock=false"',
      'flag, but this is not recommended.',
    ].join('\n'),
  );
  return undefined;
}

export async function releaseStateLock(dir: string, lock: LockInfo): Promise<void> {
  try {
    const held = JSON.parse(await readFile(join(dir, lockFile), 'utf8')) as LockInfo;
    if (held.ID === lock.ID) await rm(join(dir, lockFile), { force: true });
  } catch {
    // Already gone.
  }
}

/** `terraform force-unlock [-force] LOCK_ID`: only the lock with that ID is released. */
export async function forceUnlock(invocation: { dir: string; command: string[] }): Promise<number> {
  const id = invocation.command[1];
  if (!id) {
    console.error('Error: Expected a single argument: LOCK_ID');
    return 1;
  }
  let held: LockInfo;
  try {
    held = JSON.parse(await readFile(join(invocation.dir, lockFile), 'utf8')) as LockInfo;
  } catch {
    console.error('Failed to unlock state: no lock is held');
    return 1;
  }
  if (held.ID !== id) {
    console.error(`Failed to unlock state: lock ID "${id}" does not match existing lock ID "${held.ID}"`);
    return 1;
  }
  await rm(join(invocation.dir, lockFile), { force: true });
  console.log('Terraform state has been successfully unlocked!');
  return 0;
}
