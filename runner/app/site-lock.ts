import { hostname } from 'node:os';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../exec/atomic-write.js';

export interface LockHolder {
  pid: number;
  host: string;
  playbook: string;
  started: string;
}

/** Another run holds the site; says who. */
export class SiteLocked extends Error {
  constructor(readonly holder: LockHolder | undefined) {
    super(holder ? `another run holds this site: pid ${holder.pid} on ${holder.host}, ${holder.playbook}, since ${holder.started}` : 'another run holds this site');
    this.name = 'SiteLocked';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * One run at a time per site, through a lock in its state folder. A lock whose holder died
 * (killed, crashed) on this host is taken over at once, so a `--resume` need not wait for it to go stale.
 */
export async function lockSite(stateDir: string, playbook: string): Promise<() => Promise<void>> {
  // Loaded here, as it patches fs and costs ~9 ms of start-up that a dry run never needs.
  const { default: lockfile } = await import('proper-lockfile');
  await mkdir(stateDir, { recursive: true });
  const lockfilePath = join(stateDir, 'run.lock');
  const holderPath = join(stateDir, 'run.lock.json');
  const options = { lockfilePath, realpath: false, stale: 30_000, update: 10_000, onCompromised: () => {} };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(stateDir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const holder = await readHolder(holderPath);
    if (!holder || holder.host !== hostname() || alive(holder.pid)) throw new SiteLocked(holder);
    await rm(lockfilePath, { recursive: true, force: true });
    release = await lockfile.lock(stateDir, options);
  }
  await writeFileAtomic(holderPath, `${JSON.stringify({ pid: process.pid, host: hostname(), playbook, started: new Date().toISOString() })}\n`);
  return async () => {
    await rm(holderPath, { force: true });
    await release();
  };
}
