import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockSite, SiteLocked } from '../../runner/app/site-lock.js';
import { tempDir } from '../helpers/temp-dir.js';
import { stressRounds } from '../helpers/stress.js';

const built = fileURLToPath(new URL('../../dist/runner/app/site-lock.js', import.meta.url));

/** A pid that was a process a moment ago and is gone now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** The lock a run killed on this host leaves behind. */
async function deadLock(dir: string): Promise<void> {
  mkdirSync(`${dir}/run.lock`, { recursive: true });
  writeFileSync(
    `${dir}/run.lock/holder.json`,
    JSON.stringify({
      pid: await deadPid(),
      host: hostname(),
      playbook: '/p/rebuild-cluster.yml',
      started: '2026-01-01T00:00:00.000Z',
    }),
  );
}

interface Starter {
  ready: Promise<void>;
  outcome: Promise<string>;
  exited: Promise<void>;
}

/** A separate process that, once `go` exists, tries to take the lock; a winner holds it until `done` exists. */
function starter(dir: string): Starter {
  const script = `import { existsSync } from 'node:fs';
import { lockSite } from ${JSON.stringify(built)};
const until = async (path) => { while (!existsSync(path)) await new Promise((r) => setTimeout(r, 5)); };
console.log('ready');
await until(${JSON.stringify(`${dir}/go`)});
try { const release = await lockSite(${JSON.stringify(`${dir}/state`)}, '/p/deploy-jhub.yml'); console.log('won'); await until(${JSON.stringify(`${dir}/done`)}); release(); }
catch (error) { console.log(error.name === 'SiteLocked' ? 'refused' : 'error ' + error.message); }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
  let ready: () => void = () => {};
  let decided: (outcome: string) => void = () => {};
  const lines = {
    ready: new Promise<void>((resolve) => (ready = resolve)),
    outcome: new Promise<string>((resolve) => (decided = resolve)),
  };
  child.stdout.on('data', (chunk: Buffer) => {
    out += String(chunk);
    const said = out.split('\n').filter(Boolean);
    if (said.includes('ready')) ready();
    const outcome = said.find((line) => line !== 'ready');
    if (outcome) decided(outcome);
  });
  // 'close', not 'exit': a process can exit before its last line is read from the pipe.
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => (decided(`exited without a word${err ? `: ${err.trim()}` : ''}`), ready(), resolve())),
  );
  return { ...lines, exited };
}

describe('lockSite', () => {
  it('lets one run hold a site; a second is refused with the holder named; released, it can be taken again', async () => {
    const dir = await tempDir();
    const release = await lockSite(dir, '/p/rebuild-cluster.yml');
    const second = await lockSite(dir, '/p/deploy-jhub.yml').catch((error: unknown) => error);
    expect(second).toBeInstanceOf(SiteLocked);
    expect((second as Error).message).toMatch(
      new RegExp(
        `^another run holds this site: pid ${process.pid} on ${hostname()}, /p/rebuild-cluster.yml, since \\d{4}-`,
      ),
    );
    release();
    expect(existsSync(`${dir}/run.lock`)).toBe(false);
    (await lockSite(dir, '/p/deploy-jhub.yml'))();
  });

  it('takes over at once a lock whose holder died on this host, and one whose pid now belongs to another process', async () => {
    const dir = await tempDir();
    await deadLock(dir);
    const release = await lockSite(dir, '/p/rebuild-cluster.yml');
    expect(JSON.parse(readFileSync(`${dir}/run.lock/holder.json`, 'utf8')).pid).toBe(process.pid);
    release();
    // The pid is alive, but it is not the process that took the lock: its start time differs.
    mkdirSync(`${dir}/run.lock`);
    writeFileSync(
      `${dir}/run.lock/holder.json`,
      JSON.stringify({
        pid: process.pid,
        startTime: '1',
        host: hostname(),
        playbook: '/p/x.yml',
        started: '2026-01-01T00:00:00.000Z',
      }),
    );
    (await lockSite(dir, '/p/rebuild-cluster.yml'))();
  });

  const trials = stressRounds(5, 50);
  it(`lets exactly one of 8 runs started at once take over a dead run's lock, ${trials} times over`, async () => {
    for (let trial = 0; trial < trials; trial += 1) {
      const dir = await tempDir();
      await deadLock(`${dir}/state`);
      const starters = Array.from({ length: 8 }, () => starter(dir));
      await Promise.all(starters.map((one) => one.ready));
      // All eight try at once; the winner keeps the lock until every one has said how it fared.
      writeFileSync(`${dir}/go`, '');
      const outcomes = await Promise.all(starters.map((one) => one.outcome));
      writeFileSync(`${dir}/done`, '');
      await Promise.all(starters.map((one) => one.exited));
      expect(
        outcomes.filter((outcome) => outcome === 'won'),
        `trial ${trial}: ${outcomes.join(', ')}`,
      ).toHaveLength(1);
      expect(
        outcomes.filter((outcome) => outcome === 'refused'),
        `trial ${trial}: ${outcomes.join(', ')}`,
      ).toHaveLength(7);
    }
  }, 240_000);
});
