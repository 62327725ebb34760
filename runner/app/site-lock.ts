import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive, processStartTime } from '../exec/process-identity.js';

export interface LockHolder {
  pid: number;
  /** The holder's start time (see processStartTime), so a reused pid is not taken for it. */
  startTime?: string;
  host: string;
  playbook: string;
  started: string;
}

/** Another run holds the site; says who. */
export class SiteLocked extends Error {
  constructor(readonly holder: LockHolder | undefined) {
    super(
      holder
        ? `another run holds this site: pid ${holder.pid} on ${holder.host}, ${holder.playbook}, since ${holder.started}`
        : 'another run holds this site',
    );
    this.name = 'SiteLocked';
  }
}

const lockName = 'run.lock';
const takeoverName = 'run.lock.takeover';
/** A lock directory that never got its holder written (its maker died at once) is abandoned after this long. */
const abandonedMs = 5000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readHolder(dir: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'holder.json'), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const sameHolder = (a: LockHolder | undefined, b: LockHolder | undefined) =>
  a !== undefined &&
  b !== undefined &&
  a.pid === b.pid &&
  a.startTime === b.startTime &&
  a.host === b.host &&
  a.started === b.started;

/** Held by a process that is gone (on this host), or a directory whose maker died before it could say who it was. */
function dead(holder: LockHolder | undefined, dir: string): boolean {
  if (!holder) return ageMs(dir) > abandonedMs;
  return holder.host === hostname() && !processAlive(holder.pid, holder.startTime);
}

function writeHolder(dir: string, holder: LockHolder): void {
  const temporary = join(dir, `.holder.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(holder)}\n`);
  renameSync(temporary, join(dir, 'holder.json'));
}

/** mkdir is atomic: of any number of processes making the same directory, exactly one succeeds. */
function claim(path: string): boolean {
  try {
    mkdirSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * One run at a time per site: a lock directory in its state folder, naming its holder. A lock whose
 * holder died (killed, crashed) on this host is taken over at once, and atomically: the taker first
 * claims a second directory, so of any number of runs that find the same dead lock, one takes it.
 * The release is synchronous, so a run that must quit at once still lets the site go.
 */
export async function lockSite(stateDir: string, playbook: string): Promise<() => void> {
  mkdirSync(stateDir, { recursive: true });
  const lock = join(stateDir, lockName);
  const takeover = join(stateDir, takeoverName);
  const me: LockHolder = {
    pid: process.pid,
    ...(processStartTime(process.pid) ? { startTime: processStartTime(process.pid)! } : {}),
    host: hostname(),
    playbook,
    started: new Date().toISOString(),
  };
  const release = () => {
    if (sameHolder(readHolder(lock), me)) rmSync(lock, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (claim(lock)) {
      writeHolder(lock, me);
      return release;
    }
    let holder = readHolder(lock);
    // Its maker may be between making the directory and naming itself: give it a moment.
    for (let wait = 0; !holder && wait < 20 && ageMs(lock) <= abandonedMs; wait += 1) {
      await pause(25);
      holder = readHolder(lock);
    }
    if (!dead(holder, lock)) throw new SiteLocked(holder);
    if (!claim(takeover)) {
      // Another run is taking the dead lock over, or died doing it.
      if (dead(readHolder(takeover), takeover)) rmSync(takeover, { recursive: true, force: true });
      await pause(20);
      continue;
    }
    try {
      writeHolder(takeover, me);
      // Only the dead holder's lock is removed; one that changed since was taken by a live run.
      if (sameHolder(readHolder(lock), holder) || (!holder && !readHolder(lock)))
        rmSync(lock, { recursive: true, force: true });
    } finally {
      rmSync(takeover, { recursive: true, force: true });
    }
  }
  throw new SiteLocked(readHolder(lock));
}
