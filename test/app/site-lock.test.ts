import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lockSite, SiteLocked } from '../../runner/app/site-lock.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('lockSite', () => {
  it('lets one run hold a site; a second is refused with the holder named; released, it can be taken again', async () => {
    const dir = await tempDir();
    const release = await lockSite(dir, '/p/rebuild-cluster.yml');
    const second = await lockSite(dir, '/p/deploy-jhub.yml').catch((error: unknown) => error);
    expect(second).toBeInstanceOf(SiteLocked);
    expect((second as Error).message).toMatch(new RegExp(`^another run holds this site: pid ${process.pid} on ${hostname()}, /p/rebuild-cluster.yml, since \\d{4}-`));
    await release();
    await (await lockSite(dir, '/p/deploy-jhub.yml'))();
  });

  it('takes over at once a lock whose holder died on this host', async () => {
    const dir = await tempDir();
    await lockSite(dir, '/p/rebuild-cluster.yml');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    const holder = JSON.parse(readFileSync(`${dir}/run.lock.json`, 'utf8'));
    writeFileSync(`${dir}/run.lock.json`, JSON.stringify({ ...holder, pid: child.pid }));
    const release = await lockSite(dir, '/p/rebuild-cluster.yml');
    expect(JSON.parse(readFileSync(`${dir}/run.lock.json`, 'utf8')).pid).toBe(process.pid);
    await release();
  });
});
